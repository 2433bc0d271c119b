import type { Instant } from '../../core/time.ts';
import type { LedgerStore, StoreTx } from '../../store/store.ts';
import { cycleRef } from '../accounts/grants.ts';
import type { FastAllotment } from './fast-allotment.ts';

/**
 * The set-based renewal of Basic accounts at one cycle start (the common
 * case: no caps). Work is cut into ranges of freelancer ids; each range is
 * renewed in one transaction:
 *
 * 1. claim: advance the due Basic freelancers of the range to their next
 *    cycle (the UPDATE takes their row locks; a concurrent tick on the same
 *    range waits, then finds them no longer due, so no cycle is renewed twice);
 * 2. the store's `grantMany` takes their ledger accounts (row lock, so a
 *    concurrent spend either finished before or waits), and inserts the lots
 *    and grant entries in one statement, set-based, exactly as the core would
 *    write them (effective at the cycle start, or at the account's last entry
 *    when that is later; the contract test compares both paths field by field);
 * 3. accounts it could not do alike (no ledger row yet, or a lot whose expiry
 *    is due and not yet swept) have their claim undone and are returned for
 *    the per-account path.
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

/** $1 start, $2 next start, $3 after, $4 up to. Returns the cycle each account now renews. */
const claimSql = `UPDATE freelancers SET last_allotted_cycle = last_allotted_cycle + 1, next_cycle_at = $2::bigint
  WHERE next_cycle_at = $1::bigint AND id > $3 AND id <= $4 AND plan = 'basic' AND pending_plan IS NULL
  RETURNING id, last_allotted_cycle AS cycle_index`;

const releaseFreelancersSql = `UPDATE freelancers SET last_allotted_cycle = last_allotted_cycle - 1, next_cycle_at = $2
  WHERE id = ANY($1::text[])`;

async function renewRange(
  tx: StoreTx,
  range: IdRange,
  now: Instant,
  fast: FastAllotment,
): Promise<RangeResult> {
  const claimParams = [fast.start, fast.nextAt, range.after, range.upTo];
  const claimed = await tx.query<{ id: string; cycle_index: number }>(claimSql, claimParams);
  if (claimed.rows.length === 0 || fast.amount === 0) return { renewed: claimed.rows.length, slow: [] };
  const grant = {
    amount: fast.amount,
    source: 'allotment',
    category: 'free',
    issuedAt: fast.start,
    expiresAt: fast.expiresAt,
    reason: fast.reason,
  } as const;
  const accounts = claimed.rows.map((row) => ({ account: row.id, ref: cycleRef(row.cycle_index) }));
  const { granted, skipped } = await tx.grantMany(grant, accounts, now);
  if (skipped.length > 0) await tx.query(releaseFreelancersSql, [skipped, fast.start]);
  return { renewed: granted, slow: skipped };
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
