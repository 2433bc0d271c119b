import type { BadgeSchedule } from '../../core/availability-badge.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';

export type BadgeOffReason = 'freelancer' | 'price_above_max' | 'insufficient_connects';

/** A freelancer's availability badge; while on, `schedule` is its charging schedule. */
export interface Badge {
  readonly freelancerId: string;
  readonly on: boolean;
  readonly weeklyMaxConnects: number;
  readonly schedule: BadgeSchedule;
  readonly nextCheckAt: Instant | null;
  readonly offAt: Instant | null;
  readonly offReason: BadgeOffReason | null;
}

export interface BadgeRow {
  freelancer_id: string;
  is_on: boolean;
  weekly_max_connects: number;
  since: number;
  weekly_price_connects: number;
  charged: number;
  next_check_at: number | null;
  off_at: number | null;
  off_reason: BadgeOffReason | null;
}

export const badgeColumns =
  'freelancer_id, is_on, weekly_max_connects, since, weekly_price_connects, charged, next_check_at, off_at, off_reason';

export function badgeFromRow(row: BadgeRow): Badge {
  return {
    freelancerId: row.freelancer_id,
    on: row.is_on,
    weeklyMaxConnects: row.weekly_max_connects,
    schedule: { since: row.since, weeklyPriceConnects: row.weekly_price_connects, charged: row.charged },
    nextCheckAt: row.next_check_at,
    offAt: row.off_at,
    offReason: row.off_reason,
  };
}

type Reader = Pick<StoreTx, 'query'>;

/**
 * Locks the freelancer's badge row for the transaction, creating it (off) on
 * first use. Every badge write takes this lock before the ledger account.
 */
export async function lockBadge(tx: Reader, freelancerId: string, now: Instant): Promise<Badge> {
  await tx.query(
    `INSERT INTO availability_badges (freelancer_id, is_on, weekly_max_connects, since, weekly_price_connects,
       charged, updated_at)
     VALUES ($1, false, 0, $2, 0, 0, $2) ON CONFLICT (freelancer_id) DO NOTHING`,
    [freelancerId, now],
  );
  const { rows } = await tx.query<BadgeRow>(
    `SELECT ${badgeColumns} FROM availability_badges WHERE freelancer_id = $1 FOR UPDATE`,
    [freelancerId],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`badge row of ${freelancerId} vanished`);
  return badgeFromRow(row);
}

export async function readBadge(db: Reader, freelancerId: string): Promise<Badge | undefined> {
  const { rows } = await db.query<BadgeRow>(
    `SELECT ${badgeColumns} FROM availability_badges WHERE freelancer_id = $1`,
    [freelancerId],
  );
  return rows[0] === undefined ? undefined : badgeFromRow(rows[0]);
}

export async function saveBadge(tx: Reader, badge: Badge, now: Instant): Promise<void> {
  await tx.query(
    `UPDATE availability_badges SET is_on = $2, weekly_max_connects = $3, since = $4, weekly_price_connects = $5,
       charged = $6, next_check_at = $7, off_at = $8, off_reason = $9, updated_at = $10
     WHERE freelancer_id = $1`,
    [
      badge.freelancerId,
      badge.on,
      badge.weeklyMaxConnects,
      badge.schedule.since,
      badge.schedule.weeklyPriceConnects,
      badge.schedule.charged,
      badge.nextCheckAt,
      badge.offAt,
      badge.offReason,
      now,
    ],
  );
}
