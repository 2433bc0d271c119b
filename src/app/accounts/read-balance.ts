import { applyOperation } from '../../core/ledger/apply.ts';
import { balanceAt } from '../../core/ledger/balance.ts';
import { policyAt, type PolicyTimeline } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { AccountState } from '../../core/types.ts';
import type { AppContext } from '../context.ts';
import { cycleOf } from '../scheduler/renew-account.ts';
import { findFreelancer, type Freelancer } from './freelancer-rows.ts';
import { allotmentOp, rolloverOp } from './grants.ts';

/** Most due cycles a read projects (the renewal itself catches up at most this many per call). */
const MAX_PROJECTED_CYCLES = 240;

/**
 * A freelancer's balance at t, exact whether or not the scheduler has run
 * (rules.md 1.2, 1.9). History answers for the past; from the account's last
 * entry on, the current state answers, and when a renewal under a rollover or
 * holding cap is due by t on a Basic account it is projected in memory
 * (`projectDueCaps`). Nothing is written: reading never charges nor grants.
 */
export async function readBalance(ctx: AppContext, freelancerId: string, t: Instant, now: Instant) {
  const projected = await projectDueCaps(ctx, freelancerId, t);
  if (projected !== undefined) return balanceAt(projected, t);
  return t < now ? ctx.store.balanceAsOf(freelancerId, t) : ctx.store.balance(freelancerId, t);
}

/**
 * True when a renewal under a rollover or holding cap may be due by t on this
 * Basic account, so a read must project it (`projectDueCaps`); false when the
 * stored state answers as it is. A Plus renewal depends on its payment: only
 * the scheduler or a write can tell, so it is never projected.
 */
export function capsMayBeDue(timeline: PolicyTimeline, f: Freelancer, t: Instant): boolean {
  if (f.nextCycleAt > t || (f.pendingPlan ?? f.plan) !== 'basic') return false;
  const caps = policyAt(timeline, f.nextCycleAt).plans.basic;
  return caps.rolloverCap !== null || caps.holdingCap !== null;
}

/**
 * The account as it will stand at t once the renewals under a rollover or
 * holding cap due by t on a Basic account are written (the cap dated at each
 * cycle start, then that cycle's allotment), exactly as the renewal will
 * write them; undefined when no such renewal is pending, and history or the
 * current state answer as they are. (A Plus renewal depends on its payment,
 * so it is not projected.)
 */
export async function projectDueCaps(
  ctx: AppContext,
  freelancerId: string,
  t: Instant,
): Promise<AccountState | undefined> {
  const f = await findFreelancer(ctx.store, freelancerId);
  if (f === undefined || !capsMayBeDue(ctx.timeline, f, t)) return undefined;
  const plan = 'basic';
  const [lots, holds, last] = await Promise.all([
    ctx.store.lots(freelancerId),
    ctx.store.holds(freelancerId),
    ctx.store.entries(freelancerId, { limit: 1, order: 'desc' }),
  ]);
  const lastEntry = last.ok ? last.value.entries[0] : undefined;
  // Writes after the due cycle start already renewed it (or bypassed it): history then answers.
  if (lastEntry !== undefined && lastEntry.effectiveAt > Math.min(t, f.nextCycleAt)) return undefined;
  let state: AccountState = {
    account: freelancerId,
    seq: lastEntry?.seq ?? 0,
    nextLotNo: lots.reduce((max, lot) => Math.max(max, lot.lotNo), 0) + 1,
    lots,
    holds,
    ...(lastEntry === undefined ? {} : { lastEffectiveAt: lastEntry.effectiveAt }),
  };
  for (let index = f.lastAllottedCycle + 1; index <= f.lastAllottedCycle + MAX_PROJECTED_CYCLES; index += 1) {
    const cycle = cycleOf(f, index);
    if (cycle.start > t) break;
    const policy = policyAt(ctx.timeline, cycle.start);
    const ops = [rolloverOp(policy, plan, cycle), allotmentOp(policy, plan, cycle)];
    for (const op of ops) {
      if (op === null) continue;
      const applied = applyOperation(state, op, cycle.start);
      if (applied.ok) state = applied.value.state;
    }
  }
  return state;
}
