import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { LedgerStore } from '../../store/store.ts';
import { instantOrMillisSchema } from '../input/instants.ts';
import { parseInput } from '../input/parse-input.ts';

/**
 * Operators: people and systems acting on the marketplace with a role and
 * API keys (docs/operators.md). A key is `cop_` + 32 random bytes
 * (base64url), shown once and stored as a SHA-256 hash; it may expire and
 * can be revoked. Every lookup reads the database, so a revocation or an
 * expiry holds on the very next request in every server process.
 */

export const ROLES = ['owner', 'support', 'finance', 'marketplace'] as const;
export type Role = (typeof ROLES)[number];

/** Lets operators and secret scanners recognise a leaked key at a glance. */
export const OPERATOR_KEY_PREFIX = 'cop_';
const KEY_PATTERN = /^cop_[A-Za-z0-9_-]{43}$/;
/** Bounds on rows: a script creating operators or keys in a loop stops here. */
export const MAX_OPERATORS = 1000;
export const MAX_ACTIVE_KEYS_PER_OPERATOR = 10;
/** The actor id of the bootstrap admin token (CONNECTS_ADMIN_TOKEN) and of the CLI. */
export const BOOTSTRAP_ACTOR = 'admin';

export const OPERATOR_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const operatorIdSchema = z
  .string()
  .regex(OPERATOR_ID_PATTERN, 'must be 1 to 64 characters of A-Z a-z 0-9 _ . -')
  .refine((id) => id !== BOOTSTRAP_ACTOR, `"${BOOTSTRAP_ACTOR}" names the bootstrap token`);
export const roleSchema = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });

export const createOperatorInputSchema = z.strictObject({
  id: operatorIdSchema,
  role: roleSchema,
  /** When the first key stops working; absent: never. */
  expiresAt: instantOrMillisSchema.optional(),
});
export type CreateOperatorInput = z.input<typeof createOperatorInputSchema>;

export const issueKeyInputSchema = z.strictObject({
  operatorId: operatorIdSchema,
  expiresAt: instantOrMillisSchema.optional(),
});
export type IssueKeyInput = z.input<typeof issueKeyInputSchema>;

export interface OperatorKeyInfo {
  readonly keyId: string;
  readonly operatorId: string;
  readonly createdAt: Instant;
  readonly createdBy: string;
  readonly expiresAt: Instant | null;
  readonly revokedAt: Instant | null;
}

export interface IssuedOperatorKey extends OperatorKeyInfo {
  readonly role: Role;
  /** The secret itself; never stored, never shown again. */
  readonly key: string;
}

export interface OperatorInfo {
  readonly id: string;
  readonly role: Role;
  readonly createdAt: Instant;
  readonly createdBy: string;
  readonly keys: readonly OperatorKeyInfo[];
}

/** Who a live key belongs to. */
export interface KeyOwner {
  readonly operatorId: string;
  readonly role: Role;
  readonly keyId: string;
}

type Sql = Pick<LedgerStore, 'query' | 'transaction'>;
type Tx = Parameters<Parameters<LedgerStore['transaction']>[0]>[0];
/** Runs in the transaction that made the change, after it (the HTTP layer writes its audit row there). */
export type InTransaction = (tx: Pick<Tx, 'query'>) => Promise<void>;

export const hashOperatorKey = (key: string): string => createHash('sha256').update(key).digest('hex');

interface KeyRow {
  key_id: string;
  operator_id: string;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  revoked_at: number | null;
}

const toKeyInfo = (row: KeyRow): OperatorKeyInfo => ({
  keyId: row.key_id,
  operatorId: row.operator_id,
  createdAt: Number(row.created_at),
  createdBy: row.created_by,
  expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
});

function expiryAfter(expiresAt: Instant | undefined, now: Instant): Result<void> {
  if (expiresAt !== undefined && expiresAt <= now) {
    return err(
      connectsError('validation_failed', 'expiresAt must be after now.', {
        issues: [{ in: 'input', path: 'expiresAt', message: 'must be after now' }],
      }),
    );
  }
  return ok(undefined);
}

/** Writes a new key for the operator inside `tx`, refusing past the active-key limit. */
async function insertKey(
  tx: Tx,
  operatorId: string,
  role: Role,
  expiresAt: Instant | undefined,
  actor: string,
  now: Instant,
): Promise<Result<IssuedOperatorKey>> {
  const active = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM operator_keys
     WHERE operator_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
    [operatorId, now],
  );
  const count = Number(active.rows[0]?.n ?? 0);
  if (count >= MAX_ACTIVE_KEYS_PER_OPERATOR) {
    return err(
      connectsError(
        'operator_limit_reached',
        `Operator ${operatorId} already has ${count} active keys; revoke one first.`,
        { operatorId, limit: MAX_ACTIVE_KEYS_PER_OPERATOR },
      ),
    );
  }
  const key = OPERATOR_KEY_PREFIX + randomBytes(32).toString('base64url');
  const keyId = `key_${randomBytes(9).toString('base64url')}`;
  await tx.query(
    `INSERT INTO operator_keys (key_id, operator_id, key_hash, created_at, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [keyId, operatorId, hashOperatorKey(key), now, actor, expiresAt ?? null],
  );
  return ok({
    keyId,
    operatorId,
    role,
    createdAt: now,
    createdBy: actor,
    expiresAt: expiresAt ?? null,
    revokedAt: null,
    key,
  });
}

/** Creates an operator with its first key. An existing id is operator_exists: nothing is replaced. */
export async function createOperator(
  store: Sql,
  input: CreateOperatorInput,
  actor: string,
  now: Instant,
  alsoWrite?: InTransaction,
): Promise<Result<IssuedOperatorKey>> {
  const parsed = parseInput(createOperatorInputSchema, input);
  if (!parsed.ok) return parsed;
  const { id, role } = parsed.value;
  const { expiresAt } = parsed.value;
  const future = expiryAfter(expiresAt, now);
  if (!future.ok) return future;
  return store.transaction(async (tx) => {
    // One operator created at a time, so concurrent calls cannot pass the limit together.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['operators']);
    const existing = await tx.query('SELECT 1 FROM operators WHERE operator_id = $1', [id]);
    if (existing.rows.length > 0) {
      return err<IssuedOperatorKey>(
        connectsError('operator_exists', `Operator ${id} already exists.`, { operatorId: id }),
      );
    }
    const total = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM operators');
    if (Number(total.rows[0]?.n ?? 0) >= MAX_OPERATORS) {
      return err<IssuedOperatorKey>(
        connectsError('operator_limit_reached', `There are already ${MAX_OPERATORS} operators.`, {
          limit: MAX_OPERATORS,
        }),
      );
    }
    await tx.query(
      'INSERT INTO operators (operator_id, role, created_at, created_by) VALUES ($1, $2, $3, $4)',
      [id, role, now, actor],
    );
    const issued = await insertKey(tx, id, role, expiresAt, actor, now);
    if (issued.ok) await alsoWrite?.(tx);
    return issued;
  });
}

/** Another key for an existing operator (rotation: issue, switch, revoke the old one). */
export async function issueOperatorKey(
  store: Sql,
  input: IssueKeyInput,
  actor: string,
  now: Instant,
  alsoWrite?: InTransaction,
): Promise<Result<IssuedOperatorKey>> {
  const parsed = parseInput(issueKeyInputSchema, input);
  if (!parsed.ok) return parsed;
  const { operatorId } = parsed.value;
  const { expiresAt } = parsed.value;
  const future = expiryAfter(expiresAt, now);
  if (!future.ok) return future;
  return store.transaction(async (tx) => {
    const found = await tx.query<{ role: Role }>(
      'SELECT role FROM operators WHERE operator_id = $1 FOR UPDATE',
      [operatorId],
    );
    const role = found.rows[0]?.role;
    if (role === undefined) return err<IssuedOperatorKey>(notFound(operatorId));
    const issued = await insertKey(tx, operatorId, role, expiresAt, actor, now);
    if (issued.ok) await alsoWrite?.(tx);
    return issued;
  });
}

const notFound = (operatorId: string, keyId?: string) =>
  connectsError(
    'not_found',
    keyId === undefined ? `No operator ${operatorId}.` : `No key ${keyId} for operator ${operatorId}.`,
    keyId === undefined ? { operatorId } : { operatorId, keyId },
  );

/** Revokes one key; revoking twice keeps the first time. An unknown operator or key is not_found. */
export async function revokeOperatorKey(
  store: Sql,
  operatorId: string,
  keyId: string,
  now: Instant,
  alsoWrite?: InTransaction,
): Promise<Result<OperatorKeyInfo>> {
  return store.transaction(async (tx) => {
    const result = await tx.query<KeyRow>(
      `UPDATE operator_keys SET revoked_at = coalesce(revoked_at, $3)
       WHERE operator_id = $1 AND key_id = $2
       RETURNING key_id, operator_id, created_at, created_by, expires_at, revoked_at`,
      [operatorId, keyId, now],
    );
    const row = result.rows[0];
    if (row === undefined) return err<OperatorKeyInfo>(notFound(operatorId, keyId));
    await alsoWrite?.(tx);
    return ok(toKeyInfo(row));
  });
}

/** Every operator (at most MAX_OPERATORS) with its keys' metadata, never a secret. */
export async function listOperators(store: Pick<LedgerStore, 'query'>): Promise<OperatorInfo[]> {
  const operators = await store.query<{
    operator_id: string;
    role: Role;
    created_at: number;
    created_by: string;
  }>('SELECT operator_id, role, created_at, created_by FROM operators ORDER BY operator_id');
  const keys = await store.query<KeyRow>(
    `SELECT key_id, operator_id, created_at, created_by, expires_at, revoked_at
     FROM operator_keys ORDER BY operator_id, created_at, key_id`,
  );
  const byOperator = new Map<string, OperatorKeyInfo[]>();
  for (const row of keys.rows) {
    const list = byOperator.get(row.operator_id) ?? [];
    list.push(toKeyInfo(row));
    byOperator.set(row.operator_id, list);
  }
  return operators.rows.map((row) => ({
    id: row.operator_id,
    role: row.role,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
    keys: byOperator.get(row.operator_id) ?? [],
  }));
}

/** The owner of a live key at `now`; undefined for a malformed, unknown, revoked or expired one. */
export async function resolveOperatorKey(
  store: Pick<LedgerStore, 'query'>,
  key: string,
  now: Instant,
): Promise<KeyOwner | undefined> {
  if (!KEY_PATTERN.test(key)) return undefined;
  const result = await store.query<{ operator_id: string; role: Role; key_id: string }>(
    `SELECT k.operator_id, o.role, k.key_id FROM operator_keys k
     JOIN operators o ON o.operator_id = k.operator_id
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2)`,
    [hashOperatorKey(key), now],
    'connects_operator_key_v1',
  );
  const row = result.rows[0];
  return row === undefined ? undefined : { operatorId: row.operator_id, role: row.role, keyId: row.key_id };
}
