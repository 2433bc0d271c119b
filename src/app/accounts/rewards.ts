import { anchoredCycleAt } from '../../core/calendar.ts';
import { ConnectsFailure } from '../../core/errors.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { LotSource } from '../../core/types.ts';
import type { StoreTx } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import type { Freelancer } from './freelancer-rows.ts';
import { rewardOp } from './grants.ts';

/** The one-time rewards of rules.md 2.2 and 2.4, kept in table freelancer_rewards. */
export type RewardKind = 'rising_talent' | 'certification';

export interface Reward {
  readonly reward: RewardKind;
  /** What earned it: the certification id; null for the badge. */
  readonly ref: string | null;
  /** Connects granted with it (after any holding cap). */
  readonly connects: number;
  readonly grantedAt: Instant;
}

interface RewardRow {
  reward: RewardKind;
  ref: string | null;
  connects: number;
  granted_at: number;
}

const fromRow = (row: RewardRow): Reward => ({
  reward: row.reward,
  ref: row.ref,
  connects: row.connects,
  grantedAt: row.granted_at,
});

export async function listRewards(db: Pick<StoreTx, 'query'>, freelancerId: string): Promise<Reward[]> {
  const rows = await db.query<RewardRow>(
    'SELECT reward, ref, connects, granted_at FROM freelancer_rewards WHERE freelancer_id = $1 ORDER BY granted_at, reward',
    [freelancerId],
  );
  return rows.rows.map(fromRow);
}

export async function findReward(
  db: Pick<StoreTx, 'query'>,
  freelancerId: string,
  reward: RewardKind,
): Promise<Reward | undefined> {
  return (await listRewards(db, freelancerId)).find((r) => r.reward === reward);
}

/**
 * Grants a one-time reward inside the caller's transaction (the caller holds
 * the freelancer's row lock): the reward row and its lot commit together,
 * the grant keyed `<reward>:<freelancer>` so it can never happen twice.
 * The caller checks, under that lock, that the reward does not exist yet.
 */
export async function grantReward(
  tx: StoreTx,
  ctx: AppContext,
  freelancer: Freelancer,
  reward: { kind: RewardKind; ref: string | null; amount: number; source: LotSource; ledgerRef: string },
  now: Instant,
): Promise<Reward> {
  const policy = policyAt(ctx.timeline, now);
  const cycle = anchoredCycleAt(freelancer.cycleAnchor, Math.max(now, freelancer.cycleAnchor.at));
  const op = rewardOp(policy, freelancer.plan, reward.amount, reward.source, now, cycle, reward.ledgerRef);
  let connects = 0;
  if (op !== null) {
    const applied = await tx.applyOps(freelancer.id, [op], now, `${reward.kind}:${freelancer.id}`);
    if (!applied.ok) throw new ConnectsFailure(applied.error);
    for (const entry of applied.value.entries) if (entry.type === 'grant') connects += entry.amount;
  }
  const inserted = await tx.query<RewardRow>(
    `INSERT INTO freelancer_rewards (freelancer_id, reward, ref, connects, granted_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (freelancer_id, reward) DO NOTHING RETURNING reward, ref, connects, granted_at`,
    [freelancer.id, reward.kind, reward.ref, connects, now],
  );
  const row = inserted.rows[0];
  // The row lock makes a conflict impossible; a missing row is a bug, and the transaction rolls back.
  if (row === undefined) throw new Error(`reward ${reward.kind} of ${freelancer.id} already existed`);
  return fromRow(row);
}
