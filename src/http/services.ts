import type { OpenAPIHono } from '@hono/zod-openapi';
import type { PurchaseContext } from '../app/purchases/buy-connects.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Connects, SchedulerRun } from '../connects.ts';
import type { PolicyTimeline } from '../core/policy/timeline.ts';
import type { ReplicaReads } from '../store/read-replica.ts';
import type { LedgerStore } from '../store/store.ts';
import type { Authenticator, AuthResult, Principal } from './auth.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { SchedulerStatus } from './scheduler-loop.ts';
import type { TokenRepository } from './tokens.ts';

/**
 * Everything the HTTP layer needs, built once by src/server.ts (or by a test)
 * and handed to `buildApp`. Route files receive it whole and take what they
 * use; the economy use cases join here as fields when they land.
 */
export interface Services {
  readonly config: Config;
  /** The ledger store: embedded PGlite or PostgreSQL, migrations applied. */
  readonly store: LedgerStore;
  /** The only source of time; a ManualClock when config.manualClock. */
  readonly clock: Clock;
  readonly timeline: PolicyTimeline;
  /**
   * What the use cases receive: the same store and timeline as above, the
   * payment provider, the operator's tax table (if any), and the hooks the
   * scheduler tick runs.
   */
  readonly app: PurchaseContext;
  /**
   * Reads that may lag (history, as-of balances in the past, statistics, lists): on the read replica
   * while it is fresh enough (docs/operations.md, "Read replica"), else the same as `store` and `app`.
   * Writes and the current balance always use `store` and `app`.
   */
  readonly reads: LaggingReads;
  /** The composition root the context came from (src/connects.ts). */
  readonly connects: Connects;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly authenticator: Authenticator;
  readonly tokens: TokenRepository;
  /**
   * Periodic work (allotments, expiry sweeps, badges, auctions, event
   * notices). The server starts its loop unless the clock is manual;
   * POST /v1/admin/tick runs it on request either way.
   */
  readonly scheduler: Scheduler;
}

export interface LaggingReads {
  readonly store: LedgerStore;
  /** The use-case context with `store` above. */
  readonly app: PurchaseContext;
  /** Absent without DATABASE_READ_URL. */
  readonly replica?: ReplicaReads;
}

/**
 * The scheduler as the server and the admin routes see it. With a manual
 * clock the server never calls `start`: ticks then happen only on request.
 */
export interface Scheduler {
  start(): void;
  /** Stops the loop and waits for a run in progress to finish. */
  stop(): Promise<void>;
  /** One run now, queued behind any run in progress (runs never overlap in a process). */
  runNow(): Promise<SchedulerRun>;
  status(): SchedulerStatus;
}

/** Per-request values, set by the app's global middleware. */
export interface ApiVariables {
  requestId: string;
  /** Validated Idempotency-Key header, if the request sent one. */
  idempotencyKey: string | undefined;
  /** Resolves the bearer token (once per request). */
  auth: () => Promise<AuthResult>;
  /** Set by requireAdmin / requireAdminOr / requireToken once they let a request through. */
  principal: Principal | undefined;
}

export interface ApiEnv {
  Variables: ApiVariables;
}

export type ApiApp = OpenAPIHono<ApiEnv>;

/** A route file: registers its routes on the app. Listed once in routes/index.ts. */
export type RouteModule = (app: ApiApp, services: Services) => void;
