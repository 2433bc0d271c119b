import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { LedgerStore } from '../../store/store.ts';

/**
 * The daily budget of Connects a support operator may grant or remove,
 * counted in absolute Connects per UTC day over grants, removals, voids and
 * expire-nows. A reservation is one conditional UPDATE on the operator's row
 * for the day, so parallel requests (in any number of server processes)
 * cannot pass the limit together; a write that is then refused or replayed
 * gives its reservation back. A process that dies between the reservation
 * and the write leaves the budget lower than the writes made (never higher).
 */

export interface Reservation {
  readonly operatorId: string;
  /** The UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly connects: number;
}

export const utcDay = (now: Instant): string => new Date(now).toISOString().slice(0, 10);

export async function reserveDailyConnects(
  store: Pick<LedgerStore, 'query'>,
  operatorId: string,
  connects: number,
  dailyLimit: number,
  now: Instant,
): Promise<Result<Reservation>> {
  const day = utcDay(now);
  await store.query(
    `INSERT INTO operator_daily_connects (operator_id, day, connects) VALUES ($1, $2, 0)
     ON CONFLICT (operator_id, day) DO NOTHING`,
    [operatorId, day],
  );
  const reserved = await store.query<{ connects: number }>(
    `UPDATE operator_daily_connects SET connects = connects + $3
     WHERE operator_id = $1 AND day = $2 AND connects + $3 <= $4
     RETURNING connects`,
    [operatorId, day, connects, dailyLimit],
  );
  if (reserved.rows.length === 0) {
    const used = await store.query<{ connects: number }>(
      'SELECT connects FROM operator_daily_connects WHERE operator_id = $1 AND day = $2',
      [operatorId, day],
    );
    const usedToday = Number(used.rows[0]?.connects ?? 0);
    return err(
      connectsError(
        'limit_exceeded',
        `${connects} Connects would take ${operatorId} past its daily limit of ${dailyLimit} (${usedToday} used today, UTC).`,
        { operatorId, connects, dailyLimit, usedToday, day },
      ),
    );
  }
  return ok({ operatorId, day, connects });
}

/** Gives back `connects` of a reservation (all of it by default). */
export async function releaseDailyConnects(
  store: Pick<LedgerStore, 'query'>,
  reservation: Reservation,
  connects: number = reservation.connects,
): Promise<void> {
  if (connects <= 0) return;
  await store.query(
    `UPDATE operator_daily_connects SET connects = greatest(connects - $3, 0)
     WHERE operator_id = $1 AND day = $2`,
    [reservation.operatorId, reservation.day, connects],
  );
}

/** Connects counted today for the operator (0 when none). */
export async function dailyConnectsUsed(
  store: Pick<LedgerStore, 'query'>,
  operatorId: string,
  now: Instant,
): Promise<number> {
  const used = await store.query<{ connects: number }>(
    'SELECT connects FROM operator_daily_connects WHERE operator_id = $1 AND day = $2',
    [operatorId, utcDay(now)],
  );
  return Number(used.rows[0]?.connects ?? 0);
}
