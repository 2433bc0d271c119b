import { MAX_LOTS_PER_OPERATION } from '../core/ledger/limits.ts';
import type { Instant } from '../core/time.ts';
import { selectRows } from './select-rows.ts';
import type { SqlQueryable } from './sql-client.ts';
import type { LedgerStore, SweepReport } from './store.ts';

/** Most accounts one sweep call visits. */
export const MAX_SWEEP_ACCOUNTS = 10_000;

/**
 * Materialises due expiries: finds accounts with a lot that expired at or
 * before now and still holds Connects (the partial index lots_live_by_expiry
 * makes this cheap) and submits a 'sweep' operation for each through the
 * normal write path. The account lock and the core make it idempotent and
 * safe beside spends: a lot already expired, spent or swept by someone else
 * meanwhile is simply not due any more when the sweep operation runs.
 */
export async function sweepExpired(
  db: SqlQueryable,
  store: Pick<LedgerStore, 'executeMany'>,
  now: Instant,
  limit: number,
): Promise<SweepReport> {
  const accountLimit = Math.max(1, Math.min(MAX_SWEEP_ACCOUNTS, Math.trunc(limit)));
  const due = await selectRows<{ account: string }>(
    db,
    'SELECT DISTINCT account FROM lots WHERE expires_at <= $1 AND remaining > 0 LIMIT $2',
    [now, accountLimit],
    'r.account',
  );
  const results = await store.executeMany(
    due.map((row) => ({
      account: row.account,
      op: { kind: 'sweep', limit: MAX_LOTS_PER_OPERATION },
      now,
    })),
  );
  let expired = 0;
  for (const result of results) {
    if (!result.ok) throw new Error(`sweep failed: ${result.error.code}`);
    expired += result.value.entries.filter((entry) => entry.type === 'expiry').length;
  }
  return { accounts: due.length, expired };
}
