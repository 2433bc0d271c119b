import { resolve } from 'node:path';
import { z } from 'zod';
import { connectsError, err, ok, type Result } from './core/errors.ts';

/**
 * The service's configuration, read from the environment once at start-up,
 * validated, and frozen. Everything below it receives this object instead of
 * reading `process.env`, so a test can build any configuration it needs.
 */
export interface Config {
  /** TCP port to listen on; 0 asks the OS for a free one. */
  readonly port: number;
  /** Interface to bind; 127.0.0.1 by default so a dev server is not exposed by accident. */
  readonly host: string;
  /** Webhooks may target loopback, link-local and private addresses (off by default). */
  readonly webhookAllowPrivate: boolean;
  /** Bad bearer tokens a client may send per minute before it gets 429 (0: no limit). */
  readonly badTokenLimit: number;
  /** Absolute folder of the embedded store and the generated admin token. */
  readonly dataDir: string;
  /** PostgreSQL instead of the embedded store, when set. */
  readonly databaseUrl: string | undefined;
  /** A streaming replica for reads that may lag (docs/operations.md, "Read replica"); needs databaseUrl. */
  readonly databaseReadUrl: string | undefined;
  /** Lagging reads leave the replica for the primary once its lag may exceed this, ms. */
  readonly readMaxLagMs: number;
  /** The admin bearer token; generated into dataDir when absent (embedded dev mode only). */
  readonly adminToken: string | undefined;
  /** Time moves only through PUT /v1/admin/clock and the scheduler only on request. */
  readonly manualClock: boolean;
  readonly nodeEnv: 'development' | 'test' | 'production';
  /** Shown on receipts (docs/finance.md): the marketplace that sold the Connects. */
  readonly marketplaceName: string;
  /** Bounds on every wait on PostgreSQL (docs/operations.md, "Faults and timeouts"). */
  readonly database: DatabaseTimeouts;
  /** A transaction pooler between the server and PostgreSQL: auto, transaction or none (docs/operations.md, "Poolers"). */
  readonly databasePooler: 'auto' | 'transaction' | 'none';
  /** Connections to PostgreSQL this process opens at most (docs/performance.md). */
  readonly databasePoolSize: number;
  /** What a support operator may grant or remove (docs/operators.md, "Limits"). */
  readonly supportLimits: SupportLimits;
  /** A policy or list of policies to schedule at start if not already there (docs/policy.md); absolute. */
  readonly policyFile?: string;
}

/** PostgreSQL connections per process when CONNECTS_DB_POOL_SIZE is not set. */
export const DEFAULT_DB_POOL_SIZE = 10;

/** The name receipts carry when CONNECTS_MARKETPLACE_NAME is not set. */
export const DEFAULT_MARKETPLACE_NAME = 'Connects Marketplace';

/** Absolute Connects a support operator may grant or remove: in one request, and per UTC day in all. */
export interface SupportLimits {
  readonly perActionConnects: number;
  readonly perDayConnects: number;
}

export const DEFAULT_SUPPORT_LIMITS: SupportLimits = Object.freeze({
  perActionConnects: 200,
  perDayConnects: 1000,
});

/** Milliseconds; 0 turns a bound off. */
export interface DatabaseTimeouts {
  readonly connectMs: number;
  readonly acquireMs: number;
  readonly statementMs: number;
  readonly idleInTransactionMs: number;
  readonly keepAliveMs: number;
}

/** Defaults: a hung database gives a 503 within acquire + statement + 1 s (11 s), usually statement + 1 s. */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = Object.freeze({
  connectMs: 5_000,
  acquireMs: 5_000,
  statementMs: 5_000,
  idleInTransactionMs: 30_000,
  keepAliveMs: 10_000,
});

/** How far behind the primary a replica may be and still serve reads, by default. */
export const DEFAULT_READ_MAX_LAG_MS = 5_000;

/** Admin tokens are compared as secrets: long enough to resist guessing, no whitespace. */
export const ADMIN_TOKEN_PATTERN = /^[\x21-\x7e]{16,200}$/;

// The environment gives strings; an empty value counts as unset, as shells make that easy to do by mistake.
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());

/** A duration in milliseconds from the environment: 0 (off) to one day. */
const milliseconds = z
  .string()
  .regex(/^\d{1,8}$/, 'must be a whole number of milliseconds from 0 to 86400000')
  .transform(Number)
  .pipe(z.number().max(86_400_000, 'must be a whole number of milliseconds from 0 to 86400000'));

const postgresUrl = z
  .string()
  .max(4096)
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
  .refine((text) => URL.canParse(text), 'must be a valid URL');

/** A support limit in Connects: 0 (support grants and removes nothing) to 1,000,000. */
const supportConnects = z
  .string()
  .regex(/^\d{1,7}$/, 'must be a whole number of Connects from 0 to 1000000')
  .transform(Number)
  .pipe(z.number().max(1_000_000, 'must be a whole number of Connects from 0 to 1000000'));

const envSchema = z
  .object({
    PORT: optional(
      z
        .string()
        .regex(/^\d{1,5}$/, 'must be a whole number from 0 to 65535')
        .transform(Number)
        .pipe(z.number().max(65_535, 'must be a whole number from 0 to 65535')),
    ),
    HOST: optional(z.string().regex(/^[\w.:[\]-]{1,255}$/, 'must be a host name or IP address')),
    CONNECTS_WEBHOOK_ALLOW_PRIVATE: optional(z.enum(['0', '1'], { message: 'must be 1 or 0' })),
    CONNECTS_BAD_TOKEN_LIMIT: optional(
      z
        .string()
        .regex(/^\d{1,6}$/, 'must be a whole number from 0 to 100000')
        .transform(Number)
        .pipe(z.number().max(100_000, 'must be a whole number from 0 to 100000')),
    ),
    CONNECTS_DATA_DIR: optional(z.string().max(4096)),
    CONNECTS_SUPPORT_MAX_CONNECTS_PER_ACTION: optional(supportConnects),
    CONNECTS_SUPPORT_MAX_CONNECTS_PER_DAY: optional(supportConnects),
    CONNECTS_MARKETPLACE_NAME: optional(
      z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    ),
    DATABASE_URL: optional(postgresUrl),
    DATABASE_READ_URL: optional(postgresUrl),
    CONNECTS_READ_MAX_LAG_MS: optional(milliseconds),
    CONNECTS_ADMIN_TOKEN: optional(
      z.string().regex(ADMIN_TOKEN_PATTERN, 'must be 16 to 200 visible ASCII characters, no spaces'),
    ),
    CONNECTS_MANUAL_CLOCK: optional(z.enum(['0', '1'], { message: 'must be 1 or 0' })),
    CONNECTS_POLICY_FILE: optional(z.string().min(1).max(4096)),
    NODE_ENV: optional(
      z.enum(['development', 'test', 'production'], { message: 'must be development, test or production' }),
    ),
    CONNECTS_DB_CONNECT_TIMEOUT_MS: optional(milliseconds),
    CONNECTS_DB_ACQUIRE_TIMEOUT_MS: optional(milliseconds),
    CONNECTS_DB_STATEMENT_TIMEOUT_MS: optional(milliseconds),
    CONNECTS_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: optional(milliseconds),
    CONNECTS_DB_KEEPALIVE_MS: optional(milliseconds),
    CONNECTS_DB_POOLER: optional(
      z.enum(['auto', 'transaction', 'none'], { message: 'must be auto, transaction or none' }),
    ),
    CONNECTS_DB_POOL_SIZE: optional(
      z
        .string()
        .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 200')
        .transform(Number)
        .pipe(
          z
            .number()
            .min(1, 'must be a whole number from 1 to 200')
            .max(200, 'must be a whole number from 1 to 200'),
        ),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.CONNECTS_MANUAL_CLOCK === '1' && env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['CONNECTS_MANUAL_CLOCK'],
        message: 'is for tests and demos and is refused when NODE_ENV=production',
      });
    }
    // A generated token lives in the local data folder: fine for one developer, wrong for a shared database.
    if (env.CONNECTS_ADMIN_TOKEN === undefined && env.DATABASE_URL !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONNECTS_ADMIN_TOKEN'],
        message: 'is required when DATABASE_URL is set',
      });
    }
    if (env.DATABASE_READ_URL !== undefined && env.DATABASE_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_READ_URL'],
        message: 'needs DATABASE_URL (a replica of that primary)',
      });
    }
    if (env.CONNECTS_ADMIN_TOKEN === undefined && env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['CONNECTS_ADMIN_TOKEN'],
        message: 'is required when NODE_ENV=production',
      });
    }
  });

/**
 * Parses the environment. On failure the error lists every problem, one per
 * variable, so an operator fixes them all in one go.
 */
export function parseConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): Result<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    return err(
      connectsError('validation_failed', `Invalid configuration:\n  ${problems.join('\n  ')}`, { problems }),
    );
  }
  const e = parsed.data;
  return ok(
    Object.freeze({
      port: e.PORT ?? 3000,
      host: e.HOST ?? '127.0.0.1',
      webhookAllowPrivate: e.CONNECTS_WEBHOOK_ALLOW_PRIVATE === '1',
      badTokenLimit: e.CONNECTS_BAD_TOKEN_LIMIT ?? 20,
      dataDir: resolve(cwd, e.CONNECTS_DATA_DIR ?? './data'),
      databaseUrl: e.DATABASE_URL,
      databaseReadUrl: e.DATABASE_READ_URL,
      readMaxLagMs: e.CONNECTS_READ_MAX_LAG_MS ?? DEFAULT_READ_MAX_LAG_MS,
      adminToken: e.CONNECTS_ADMIN_TOKEN,
      manualClock: e.CONNECTS_MANUAL_CLOCK === '1',
      nodeEnv: e.NODE_ENV ?? 'development',
      marketplaceName: e.CONNECTS_MARKETPLACE_NAME ?? DEFAULT_MARKETPLACE_NAME,
      database: Object.freeze({
        connectMs: e.CONNECTS_DB_CONNECT_TIMEOUT_MS ?? DEFAULT_DATABASE_TIMEOUTS.connectMs,
        acquireMs: e.CONNECTS_DB_ACQUIRE_TIMEOUT_MS ?? DEFAULT_DATABASE_TIMEOUTS.acquireMs,
        statementMs: e.CONNECTS_DB_STATEMENT_TIMEOUT_MS ?? DEFAULT_DATABASE_TIMEOUTS.statementMs,
        idleInTransactionMs:
          e.CONNECTS_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs,
        keepAliveMs: e.CONNECTS_DB_KEEPALIVE_MS ?? DEFAULT_DATABASE_TIMEOUTS.keepAliveMs,
      }),
      databasePooler: e.CONNECTS_DB_POOLER ?? 'auto',
      databasePoolSize: e.CONNECTS_DB_POOL_SIZE ?? DEFAULT_DB_POOL_SIZE,
      supportLimits: Object.freeze({
        perActionConnects:
          e.CONNECTS_SUPPORT_MAX_CONNECTS_PER_ACTION ?? DEFAULT_SUPPORT_LIMITS.perActionConnects,
        perDayConnects: e.CONNECTS_SUPPORT_MAX_CONNECTS_PER_DAY ?? DEFAULT_SUPPORT_LIMITS.perDayConnects,
      }),
      ...(e.CONNECTS_POLICY_FILE === undefined ? {} : { policyFile: resolve(cwd, e.CONNECTS_POLICY_FILE) }),
    }),
  );
}

/** A description safe to print: the database password and the admin token never appear. */
export function describeConfig(config: Config): Record<string, string | number | boolean> {
  const store =
    config.databaseUrl === undefined ? `embedded (${config.dataDir})` : redactUrl(config.databaseUrl);
  return {
    port: config.port,
    host: config.host,
    store,
    ...(config.databaseReadUrl === undefined ? {} : { readReplica: redactUrl(config.databaseReadUrl) }),
    manualClock: config.manualClock,
    nodeEnv: config.nodeEnv,
  };
}

/** The URL with its password replaced by ***, for logs and start-up output. */
export function redactUrl(text: string): string {
  const url = new URL(text);
  if (url.password !== '') url.password = '***';
  return url.toString();
}
