import { createHash, randomBytes } from 'node:crypto';
import { connectsError, err, ok, type Result } from '../core/errors.ts';
import type { Instant } from '../core/time.ts';
import { Batcher } from '../store/batcher.ts';
import type { SqlRows, SqlValue } from '../store/sql-client.ts';

/**
 * Freelancer API tokens: issued by the admin, shown once, stored as a
 * SHA-256 hash. A token names one freelancer and reaches only that
 * freelancer's data (auth.ts enforces it per route).
 */

/** Lets operators and secret scanners recognise a leaked token at a glance. */
export const FREELANCER_TOKEN_PREFIX = 'cfl_';
/** A bound on rows per freelancer: a script issuing tokens in a loop stops here. */
export const MAX_ACTIVE_TOKENS_PER_FREELANCER = 20;

const TOKEN_PATTERN = /^cfl_[A-Za-z0-9_-]{43}$/;

export interface TokenInfo {
  readonly tokenId: string;
  readonly freelancerId: string;
  readonly createdAt: Instant;
  readonly revokedAt: Instant | null;
}

export interface IssuedToken extends TokenInfo {
  /** The secret itself; never stored, never shown again. */
  readonly token: string;
}

export interface TokenOwner {
  readonly freelancerId: string;
  readonly tokenId: string;
}

export interface TokenRepository {
  issue(freelancerId: string, now: Instant): Promise<Result<IssuedToken>>;
  /** The owner of a live token, or undefined for an unknown, revoked or malformed one. */
  /** `sha256`: the token's SHA-256 digest when the caller already has it (auth compares it first). */
  resolve(token: string, sha256?: Buffer): Promise<TokenOwner | undefined>;
  list(freelancerId: string): Promise<TokenInfo[]>;
  revoke(freelancerId: string, tokenId: string, now: Instant): Promise<Result<TokenInfo>>;
}

/** What the repository needs from the store: statements and transactions (LedgerStore fits). */
export interface SqlRunner {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlValue[],
    name?: string,
  ): Promise<SqlRows<R>>;
  transaction<T>(fn: (tx: Pick<SqlRunner, 'query'>) => Promise<T>): Promise<T>;
  /** 'pglite': one process owns the store (the folder lock), so live tokens may be kept in memory. */
  readonly engine?: 'postgres' | 'pglite';
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface TokenRow {
  freelancer_id: string;
  token_id: string;
  created_at: number;
  revoked_at: number | null;
}

const toInfo = (row: TokenRow): TokenInfo => ({
  tokenId: row.token_id,
  freelancerId: row.freelancer_id,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Most tokens one look-up statement resolves. */
const MAX_LOOKUP_BATCH = 256;

/**
 * Resolves token hashes in one statement however many requests ask at once.
 * Each statement starts after its requests arrived, so a revocation committed
 * before a request is seen by it, as with a look-up of its own.
 */
function tokenLookups(sql: Pick<SqlRunner, 'query'>): Batcher<string, TokenOwner | undefined> {
  return new Batcher(
    async (hashes) => {
      const result = await sql.query<{ token_hash: string; freelancer_id: string; token_id: string }>(
        `SELECT token_hash, freelancer_id, token_id FROM freelancer_tokens
         WHERE token_hash = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))) AND revoked_at IS NULL`,
        [JSON.stringify([...new Set(hashes)])],
        'connects_token_lookup_v1',
      );
      const owners = new Map(
        result.rows.map((row) => [
          row.token_hash,
          { freelancerId: row.freelancer_id, tokenId: row.token_id },
        ]),
      );
      return hashes.map((hash) => owners.get(hash));
    },
    { maxBatch: MAX_LOOKUP_BATCH, windowMs: 1, maxInFlight: 4, spreadAbove: 64 },
  );
}

/** Most live tokens the embedded store's process keeps in memory. */
const MAX_REMEMBERED_TOKENS = 10_000;

/**
 * Live tokens remembered by the one process that owns an embedded store: every
 * revocation goes through this process, which forgets them all when one is
 * revoked. A look-up that overlapped a revocation is not remembered (the
 * generation moved), so a revoked token never comes back from memory. With
 * PostgreSQL other processes revoke too: nothing is remembered there, and a
 * revocation holds on the next request in every process.
 */
class LiveTokens {
  private readonly owners = new Map<string, TokenOwner>();
  private generation = 0;

  constructor(private readonly lookups: Batcher<string, TokenOwner | undefined>) {}

  async resolve(hash: string): Promise<TokenOwner | undefined> {
    const known = this.owners.get(hash);
    if (known !== undefined) return known;
    const started = this.generation;
    const owner = await this.lookups.submit(hash);
    if (owner !== undefined && started === this.generation) {
      if (this.owners.size >= MAX_REMEMBERED_TOKENS) this.owners.clear();
      this.owners.set(hash, owner);
    }
    return owner;
  }

  /** Around a revocation: nothing looked up meanwhile is remembered, and everything known is forgotten. */
  async revoking<T>(work: () => Promise<T>): Promise<T> {
    this.generation += 1;
    try {
      return await work();
    } finally {
      this.generation += 1;
      this.owners.clear();
    }
  }
}

export function createTokenRepository(sql: SqlRunner): TokenRepository {
  const lookups = tokenLookups(sql);
  const live = sql.engine === 'pglite' ? new LiveTokens(lookups) : undefined;
  return {
    issue: (freelancerId, now) =>
      sql.transaction(async (tx) => {
        // Serialises issuing per freelancer so concurrent calls cannot pass the limit together.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tokens:${freelancerId}`]);
        const active = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM freelancer_tokens WHERE freelancer_id = $1 AND revoked_at IS NULL',
          [freelancerId],
        );
        const count = active.rows[0]?.n ?? 0;
        if (count >= MAX_ACTIVE_TOKENS_PER_FREELANCER) {
          return err<IssuedToken>(
            connectsError(
              'token_limit_reached',
              `The freelancer already has ${count} active tokens; revoke one first.`,
              { freelancerId, limit: MAX_ACTIVE_TOKENS_PER_FREELANCER },
            ),
          );
        }
        const token = FREELANCER_TOKEN_PREFIX + randomBytes(32).toString('base64url');
        const tokenId = `tok_${randomBytes(9).toString('base64url')}`;
        await tx.query(
          `INSERT INTO freelancer_tokens (freelancer_id, token_id, token_hash, created_at)
           VALUES ($1, $2, $3, $4)`,
          [freelancerId, tokenId, hashToken(token), now],
        );
        return ok({ tokenId, freelancerId, createdAt: now, revokedAt: null, token });
      }),

    async resolve(token, sha256) {
      if (!TOKEN_PATTERN.test(token)) return undefined;
      const hash = sha256 === undefined ? hashToken(token) : sha256.toString('hex');
      return live === undefined ? lookups.submit(hash) : live.resolve(hash);
    },

    async list(freelancerId) {
      const result = await sql.query<TokenRow>(
        `SELECT freelancer_id, token_id, created_at, revoked_at FROM freelancer_tokens
         WHERE freelancer_id = $1 ORDER BY created_at, token_id`,
        [freelancerId],
      );
      return result.rows.map(toInfo);
    },

    async revoke(freelancerId, tokenId, now) {
      // Revoking twice keeps the first revocation time: the call is idempotent.
      const update = () =>
        sql.query<TokenRow>(
          `UPDATE freelancer_tokens SET revoked_at = coalesce(revoked_at, $3)
           WHERE freelancer_id = $1 AND token_id = $2
           RETURNING freelancer_id, token_id, created_at, revoked_at`,
          [freelancerId, tokenId, now],
        );
      const result = await (live === undefined ? update() : live.revoking(update));
      const row = result.rows[0];
      if (row === undefined) {
        return err(
          connectsError('not_found', `No token ${tokenId} for freelancer ${freelancerId}.`, {
            freelancerId,
            tokenId,
          }),
        );
      }
      return ok(toInfo(row));
    },
  };
}
