import type { Instant } from '../../core/time.ts';
import type { LedgerStore, StoreTx } from '../../store/store.ts';
import type { FastAllotment } from './fast-allotment.ts';

/**
 * The set-based renewal of Basic accounts at one cycle start (the common
 * case: no caps). Work is cut into ranges of freelancer ids; each range is
 * renewed in one transaction of four statements:
 *
 * 1. claim: advance the due Basic freelancers of the range to their next
 *    cycle (the UPDATE takes their row locks; a concurrent tick on the same
 *    range waits, then finds them no longer due, so no cycle is renewed twice);
 * 2. take the ledger accounts the way the store does (row lock, seq and next
 *    lot number advanced by one), so a concurrent spend either finished
 *    before or waits for this batch;
 * 3. in one statement with a fresh snapshot: sum each account's lots and
 *    holds, and insert the lots and grant entries exactly as the core would
 *    write them (the contract test compares both paths field by field);
 * 4. undo steps 1-2 for accounts the statement could not do alike (no ledger
 *    row yet, or a lot whose expiry is due and not yet swept): they are
 *    returned for the per-account path.
 */

export interface IdRange {
  /** Exclusive lower bound. */
  readonly after: string;
  /** Inclusive upper bound. */
  readonly upTo: string;
}

export interface RangeResult {
  /** Accounts whose cycle advanced here (with an allotment lot when the amount is above 0). */
  readonly renewed: number;
  /** Accounts to renew one by one. */
  readonly slow: string[];
}

/** The next `size` accounts due at `start` after `after`, as a range; null when none is left. */
export async function nextRange(
  store: Pick<LedgerStore, 'query'>,
  start: Instant,
  after: string,
  size: number,
): Promise<(IdRange & { readonly count: number }) | null> {
  const rows = await store.query<{ up_to: string | null; count: number }>(
    `SELECT max(id) AS up_to, count(*)::int AS count FROM (
       SELECT id FROM freelancers WHERE next_cycle_at = $1 AND id > $2 ORDER BY next_cycle_at, id LIMIT $3
     ) r`,
    [start, after, size],
  );
  const row = rows.rows[0];
  return row?.up_to == null ? null : { after, upTo: row.up_to, count: row.count };
}

/** $1 start, $2 next start, $3 after, $4 up to. */
const claimSql = `UPDATE freelancers SET last_allotted_cycle = last_allotted_cycle + 1, next_cycle_at = $2::bigint
  WHERE next_cycle_at = $1::bigint AND id > $3 AND id <= $4 AND plan = 'basic' AND pending_plan IS NULL
  RETURNING id`;

const takeAccountsSql = `UPDATE accounts SET seq = seq + 1, next_lot_no = next_lot_no + 1
  WHERE account = ANY($1::text[]) RETURNING account`;

/**
 * $1 ids (claimed, with a ledger row), $2 now, $3 start, $4 amount, $5 expiresAt, $6 reason.
 * After steps 1-2, a freelancer's last_allotted_cycle is the cycle renewed, the
 * account's seq is the new entry's and next_lot_no - 1 the new lot's number.
 */
const grantSql = `WITH b AS (
    SELECT f.id AS account, f.last_allotted_cycle AS cycle_index, a.seq, a.next_lot_no - 1 AS lot_no
    FROM unnest($1::text[]) AS i(id)
    JOIN freelancers f ON f.id = i.id
    JOIN accounts a ON a.account = i.id
  ), l AS (
    SELECT account, sum(remaining) AS booked,
      sum(remaining) FILTER (WHERE issued_at <= $2::bigint AND expires_at > $2::bigint) AS available,
      count(*) FILTER (WHERE expires_at <= $2::bigint) AS due
    FROM lots WHERE account = ANY($1::text[]) AND remaining > 0 GROUP BY account
  ), h AS (
    SELECT account, sum(amount) AS held FROM holds
    WHERE account = ANY($1::text[]) AND status = 'active' GROUP BY account
  ), s AS (
    SELECT b.account, b.seq, b.lot_no, 'cycle:' || b.cycle_index AS ref,
      coalesce(l.booked, 0) + coalesce(h.held, 0) AS balance, coalesce(l.available, 0) AS available
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
      balance, balance + $4::bigint, available, available + $4::bigint, $3::bigint, $2::bigint, ref, $6::text,
      jsonb_build_object('lotNo', lot_no, 'source', 'allotment', 'category', 'free', 'amount', $4::bigint,
        'remaining', $4::bigint, 'issuedAt', $3::bigint, 'expiresAt', $5::bigint, 'ref', ref),
      NULL, NULL
    FROM s
  )
  SELECT (SELECT count(*) FROM s)::int AS granted,
    (SELECT coalesce(array_agg(account), '{}') FROM l WHERE due > 0) AS due`;

const releaseFreelancersSql = `UPDATE freelancers SET last_allotted_cycle = last_allotted_cycle - 1, next_cycle_at = $2
  WHERE id = ANY($1::text[])`;
const releaseAccountsSql = `UPDATE accounts SET seq = seq - 1, next_lot_no = next_lot_no - 1
  WHERE account = ANY($1::text[])`;

async function renewRange(
  tx: StoreTx,
  range: IdRange,
  now: Instant,
  fast: FastAllotment,
): Promise<RangeResult> {
  const claimed = await tx.query<{ id: string }>(claimSql, [
    fast.start,
    fast.nextAt,
    range.after,
    range.upTo,
  ]);
  const ids = claimed.rows.map((row) => row.id).sort();
  if (ids.length === 0 || fast.amount === 0) return { renewed: ids.length, slow: [] };
  const taken = await tx.query<{ account: string }>(takeAccountsSql, [ids]);
  const present = new Set(taken.rows.map((row) => row.account));
  const missing = ids.filter((id) => !present.has(id));
  const withAccount = ids.filter((id) => present.has(id));
  const params = [withAccount, now, fast.start, fast.amount, fast.expiresAt, fast.reason];
  const granted = (await tx.query<{ granted: number; due: string[] }>(grantSql, params)).rows[0];
  if (granted === undefined) throw new Error('the allotment statement returned no row');
  const slow = [...missing, ...granted.due].sort();
  if (slow.length > 0) {
    await tx.query(releaseFreelancersSql, [slow, fast.start]);
    if (granted.due.length > 0) await tx.query(releaseAccountsSql, [granted.due]);
  }
  return { renewed: granted.granted, slow };
}

/** Renews one range in its own transaction (retried by the store after a deadlock). */
export function allotRange(
  store: LedgerStore,
  now: Instant,
  fast: FastAllotment,
  range: IdRange,
): Promise<RangeResult> {
  return store.transaction((tx) => renewRange(tx, range, now, fast));
}
