import type { Context } from 'hono';
import { connectsError, ConnectsFailure } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import { requestHash as storeRequestHash } from '../../store/request-hash.ts';
import type { LedgerStore } from '../../store/store.ts';
import type { ApiEnv } from '../services.ts';

/**
 * Replays write responses by Idempotency-Key (rules.md 1.6, docs/api.md). The
 * use cases are idempotent by their natural ids (purchase id, promo code,
 * freelancer id), but some answer a repeat differently from the first time
 * (a second redemption is `promo_code_already_redeemed`). With a key, the
 * first successful response is stored and every retry of the same request
 * gets it back (its status and body, `replayed` set to true where the body
 * has that field), with `Idempotent-Replayed: true`; the same key with
 * another request (another route, path or body) is `idempotency_conflict`.
 * A repeat the use case recognised by natural id (`replayed: true` in the
 * body, status 200) gets the same header, so every replay is marked alike.
 *
 * Only 2xx answers are stored: an error changed nothing, so a retry simply
 * runs again (after a transient failure it may now succeed). The answer is
 * stored after the use case committed; if the process dies in between, a
 * retry gets the use case's own answer to a repeat, which the use cases make
 * safe (never a second grant or charge).
 */

export const REPLAYED_HEADER = 'Idempotent-Replayed';

export interface WriteResult<S extends number, T> {
  readonly status: S;
  readonly body: T;
}

interface StoredRow {
  request_hash: string;
  status: number;
  body: string;
}

/**
 * What identifies a request under a key: method, route and the request, hashed
 * by the store's one request hash (object keys sorted, undefined dropped).
 */
export function requestHash(method: string, route: string, request: unknown): string {
  return storeRequestHash([method, route, request]);
}

/**
 * Answers stored before the hash moved to the store's encoding hold the same
 * SHA-256 in hex; they age out after IDEMPOTENCY_RETENTION_MS
 * (src/app/scheduler/prune-stored-answers.ts).
 */
function sameRequest(stored: string, hash: string): boolean {
  return stored === hash || stored === Buffer.from(hash, 'base64url').toString('hex');
}

function conflict(key: string): ConnectsFailure {
  return new ConnectsFailure(
    connectsError('idempotency_conflict', 'This Idempotency-Key was used before with a different request.', {
      idempotencyKey: key,
    }),
  );
}

async function load(store: LedgerStore, scope: string, key: string): Promise<StoredRow | undefined> {
  const rows = await store.query<StoredRow>(
    'SELECT request_hash, status, body FROM http_idempotency WHERE scope = $1 AND key = $2',
    [scope, key],
  );
  return rows.rows[0];
}

function replay<S extends number, T>(
  c: Context<ApiEnv>,
  row: StoredRow,
  hash: string,
  key: string,
): WriteResult<S, T> {
  if (!sameRequest(row.request_hash, hash)) throw conflict(key);
  c.header(REPLAYED_HEADER, 'true');
  // What was stored is what this route answered: the same status and body types.
  return { status: row.status as S, body: markReplayed(JSON.parse(row.body) as T) };
}

/** A body that says whether it answers a repeat says so on every replay, whichever way it was found. */
function markReplayed<T>(body: T): T {
  if (body !== null && typeof body === 'object' && 'replayed' in body) return { ...body, replayed: true };
  return body;
}

/** A write repeated by its natural id (the use case replayed it) carries the same header as a key replay. */
function flagNaturalReplay(c: Context<ApiEnv>, body: unknown): void {
  if (body !== null && typeof body === 'object' && (body as { replayed?: unknown }).replayed === true) {
    c.header(REPLAYED_HEADER, 'true');
  }
}

export interface IdempotentWrite {
  readonly store: LedgerStore;
  readonly now: Instant;
  /** Whose keys these are: a freelancer id, or 'admin' for operator-wide writes. */
  readonly scope: string;
  /** Everything that makes this request what it is: path parameters and the validated body. */
  readonly request: unknown;
}

/**
 * Runs `write` once per Idempotency-Key and request; without a key it just
 * runs. Returns what to send; the caller renders it with `c.json`.
 */
export async function idempotentWrite<S extends number, T>(
  c: Context<ApiEnv>,
  options: IdempotentWrite,
  write: () => Promise<WriteResult<S, T>>,
): Promise<WriteResult<S, T>> {
  const key = c.var.idempotencyKey;
  const run = async (): Promise<WriteResult<S, T>> => {
    const result = await write();
    flagNaturalReplay(c, result.body);
    return result;
  };
  if (key === undefined) return run();
  const { store, scope } = options;
  const hash = requestHash(c.req.method, c.req.routePath, options.request);
  const stored = await load(store, scope, key);
  if (stored !== undefined) return replay(c, stored, hash, key);

  const result = await run();
  if (result.status < 200 || result.status > 299) return result;
  const inserted = await store.query(
    `INSERT INTO http_idempotency (scope, key, request_hash, status, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [scope, key, hash, result.status, JSON.stringify(result.body), options.now],
  );
  if (inserted.rows.length > 0) return result;
  // A concurrent twin stored its answer first: answer as it did, so both callers agree.
  const twin = await load(store, scope, key);
  if (twin === undefined) return result;
  return replay(c, twin, hash, key);
}
