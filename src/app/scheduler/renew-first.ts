import { policyAt, type PolicyTimeline } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import { findFreelancer, type Freelancer } from '../accounts/freelancer-rows.ts';
import type { AppContext } from '../context.ts';
import { defaultRenewOptions, renewAccount } from './renew-account.ts';

/**
 * Renews a freelancer's due cycles before a write on their Connects when the
 * plan they renew into has a rollover or holding cap under the policy at the
 * next due cycle start (rules.md 1.9, 1.2). A cap takes Connects away at the cycle start, so a write after it
 * must see the capped balance whether or not the scheduler has run: this is
 * the lazy application of caps, as expiry is lazy. The renewal writes the
 * same entries, dated at each cycle start, that a prompt tick would have.
 * Without a cap nothing is done here (the scheduler's allotments only add
 * Connects, and stay the scheduler's job).
 */
export async function renewCappedFirst(ctx: AppContext, freelancerId: string, now: Instant): Promise<void> {
  const f = await findFreelancer(ctx.store, freelancerId);
  if (f === undefined || !cappedRenewalDue(ctx.timeline, f, now)) return;
  await renewAccount(ctx, freelancerId, now, defaultRenewOptions);
}

/** True when `renewCappedFirst` would renew this freelancer before a write at now. */
export function cappedRenewalDue(timeline: PolicyTimeline, f: Freelancer, now: Instant): boolean {
  if (f.nextCycleAt > now) return false;
  const plan = policyAt(timeline, f.nextCycleAt).plans[f.pendingPlan ?? f.plan];
  return plan.rolloverCap !== null || plan.holdingCap !== null;
}
