import { connectsError, err, ok, type Result } from '../core/errors.ts';
import type { Instant } from '../core/time.ts';
import type { EventsQueryable } from './types.ts';

/** The default of the migration; 0 turns balance.low off. */
export const DEFAULT_LOW_BALANCE_THRESHOLD = 10;
export const MAX_LOW_BALANCE_THRESHOLD = 1_000_000;

/** balance.low fires when an entry takes the balance from >= threshold to < threshold. */
export async function getLowBalanceThreshold(db: EventsQueryable): Promise<number> {
  const rows = await db.query<{ value: number }>(
    "SELECT value FROM event_settings WHERE name = 'low_balance_threshold'",
  );
  return rows.rows[0]?.value ?? DEFAULT_LOW_BALANCE_THRESHOLD;
}

/** Applies to entries written after the change; earlier events stay as they were. */
export async function setLowBalanceThreshold(
  db: EventsQueryable,
  threshold: number,
  now: Instant,
): Promise<Result<number>> {
  if (!Number.isSafeInteger(threshold) || threshold < 0 || threshold > MAX_LOW_BALANCE_THRESHOLD) {
    return err(
      connectsError(
        'validation_failed',
        `The low-balance threshold is a whole number of Connects from 0 to ${MAX_LOW_BALANCE_THRESHOLD}.`,
        { threshold },
      ),
    );
  }
  await db.query(
    `INSERT INTO event_settings (name, value, updated_at) VALUES ('low_balance_threshold', $1, $2)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
    [threshold, now],
  );
  return ok(threshold);
}
