import type { Instant } from '../../core/time.ts';
import type { LedgerStore, StoreTx } from '../../store/store.ts';
import type { FastAllotment } from './fast-allotment.ts';

/**
 * The set-based renewal of Basic accounts at one cycle start (the common
 * case: no caps, one cycle due). Per batch, in one transaction:
 *
 * 1. pick up to `limit` due Basic accounts after the cursor, locking their
 *    freelancer rows (SKIP LOCKED: a concurrent tick takes the others);
 * 2. lock their ledger accounts in account order, as the store does, so a
 *    concurrent spend either finishes first or waits for this batch;
 * 3. in one statement with a fresh snapshot: sum each account's lots and
 *    holds, insert the lots and grant entries exactly as the core would
 *    write them, and advance accounts and freelancers.
 *
 * Accounts the statement cannot do alike (no ledger row yet, or a lot whose
 * expiry is due and not yet swept) are returned for the per-account path.
 */

export interface BatchResult {
  /** Accounts picked (locked) by this batch; fewer than the limit means the start is drained. */
  readonly picked: number;
  /** Accounts whose cycle advanced set-based (with an allotment lot when the amount is above 0). */
  readonly renewed: number;
  /** Accounts to renew one by one. */
  readonly slow: string[];
  /** Last id picked: the next batch starts after it. */
  readonly cursor: string | null;
}

const pickSql = `SELECT id FROM freelancers
  WHERE next_cycle_at = $1 AND id > $2 AND plan = 'basic' AND pending_plan IS NULL
  ORDER BY next_cycle_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`;

const lockSql = 'SELECT account FROM accounts WHERE account = ANY($1::text[]) ORDER BY account FOR UPDATE';

/** $1 ids, $2 now, $3 start, $4 amount, $5 expiresAt, $6 nextAt, $7 reason. */
const grantSql = `WITH b AS (
    SELECT f.id AS account, f.last_allotted_cycle + 1 AS cycle_index, a.seq, a.next_lot_no
    FROM unnest($1::text[]) AS i(id)
    JOIN freelancers f ON f.id = i.id
    JOIN accounts a ON a.account = i.id
    WHERE f.next_cycle_at = $3::bigint
  ), l AS (
    SELECT account, sum(remaining) AS booked,
      sum(remaining) FILTER (WHERE issued_at <= $2::bigint AND expires_at > $2::bigint) AS available,
      count(*) FILTER (WHERE expires_at <= $2::bigint) AS due
    FROM lots WHERE account = ANY($1::text[]) AND remaining > 0 GROUP BY account
  ), h AS (
    SELECT account, sum(amount) AS held FROM holds
    WHERE account = ANY($1::text[]) AND status = 'active' GROUP BY account
  ), s AS (
    SELECT b.account, b.cycle_index, b.seq + 1 AS seq, b.next_lot_no AS lot_no,
      coalesce(l.booked, 0) + coalesce(h.held, 0) AS balance, coalesce(l.available, 0) AS available,
      'cycle:' || b.cycle_index AS ref
    FROM b LEFT JOIN l ON l.account = b.account LEFT JOIN h ON h.account = b.account
    WHERE coalesce(l.due, 0) = 0
  ), new_lots AS (
    INSERT INTO lots (account, lot_no, source, category, amount, remaining, issued_at, expires_at, ref)
    SELECT account, lot_no, 'allotment', 'free', $4::bigint, $4::bigint, $3::bigint, $5::bigint, ref FROM s
  ), new_entries AS (
    INSERT INTO entries (account, seq, type, amount, postings, balance_before, balance_after,
      available_before, available_after, effective_at, recorded_at, ref, reason, lot, hold_id, idempotency_key)
    SELECT account, seq, 'grant', $4::bigint,
      jsonb_build_array(jsonb_build_object('lotNo', lot_no, 'amount', $4::bigint)),
      balance, balance + $4::bigint, available, available + $4::bigint, $3::bigint, $2::bigint, ref, $7::text,
      jsonb_build_object('lotNo', lot_no, 'source', 'allotment', 'category', 'free', 'amount', $4::bigint,
        'remaining', $4::bigint, 'issuedAt', $3::bigint, 'expiresAt', $5::bigint, 'ref', ref),
      NULL, NULL
    FROM s
  ), advanced_accounts AS (
    UPDATE accounts a SET seq = s.seq, next_lot_no = s.lot_no + 1 FROM s WHERE a.account = s.account
  ), advanced_freelancers AS (
    UPDATE freelancers f SET last_allotted_cycle = s.cycle_index, next_cycle_at = $6::bigint
    FROM s WHERE f.id = s.account
  )
  SELECT (SELECT count(*) FROM s)::int AS granted,
    (SELECT coalesce(array_agg(b.account), '{}') FROM b JOIN l ON l.account = b.account WHERE l.due > 0) AS slow`;

/** An era without a Basic allotment: the cycle only advances. */
const advanceSql = `WITH advanced AS (
    UPDATE freelancers SET last_allotted_cycle = last_allotted_cycle + 1, next_cycle_at = $3::bigint
    WHERE id = ANY($1::text[]) AND next_cycle_at = $2::bigint RETURNING 1
  ) SELECT count(*)::int AS renewed FROM advanced`;

async function grantBatch(tx: StoreTx, ids: string[], now: Instant, fast: FastAllotment) {
  if (fast.amount === 0) {
    const advanced = await tx.query<{ renewed: number }>(advanceSql, [ids, fast.start, fast.nextAt]);
    return { renewed: advanced.rows[0]?.renewed ?? 0, slow: [] };
  }
  const locked = await tx.query<{ account: string }>(lockSql, [ids]);
  const withAccount = new Set(locked.rows.map((row) => row.account));
  const missing = ids.filter((id) => !withAccount.has(id));
  const params = [ids, now, fast.start, fast.amount, fast.expiresAt, fast.nextAt, fast.reason];
  const result = await tx.query<{ granted: number; slow: string[] }>(grantSql, params);
  const row = result.rows[0];
  if (row === undefined) throw new Error('the allotment statement returned no row');
  return { renewed: row.granted, slow: [...missing, ...row.slow] };
}

export async function allotBatch(
  store: LedgerStore,
  now: Instant,
  fast: FastAllotment,
  cursor: string,
  limit: number,
): Promise<BatchResult> {
  return store.transaction(async (tx) => {
    const picked = await tx.query<{ id: string }>(pickSql, [fast.start, cursor, limit]);
    const ids = picked.rows.map((row) => row.id);
    if (ids.length === 0) return { picked: 0, renewed: 0, slow: [], cursor: null };
    const { renewed, slow } = await grantBatch(tx, ids, now, fast);
    return { picked: ids.length, renewed, slow, cursor: ids[ids.length - 1] ?? null };
  });
}
