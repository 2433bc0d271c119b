import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { anchoredCycleAt, type Cycle } from '../../core/calendar.ts';
import { ok, type Result } from '../../core/errors.ts';
import type { Balance } from '../../core/ledger/balance.ts';
import type { PlanName } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { requireFreelancer } from './freelancer-rows.ts';
import { listRewards } from './rewards.ts';
import { readBalance } from './read-balance.ts';

export const getFreelancerInputSchema = z.strictObject({ freelancerId: idSchema });
export type GetFreelancerInput = z.input<typeof getFreelancerInputSchema>;

export interface FreelancerView {
  readonly id: string;
  readonly name: string | null;
  readonly registeredAt: Instant;
  readonly plan: PlanName;
  /** A downgrade waiting for the next renewal. */
  readonly pendingPlanChange: {
    readonly plan: PlanName;
    readonly requestedAt: Instant;
    readonly effectiveAt: Instant;
  } | null;
  /** Day of month on which cycles after the first start. */
  readonly anchorDay: number;
  /** The billing cycle containing now. */
  readonly cycle: Cycle;
  /** Last cycle whose allotment was issued, and when the next one is due. */
  readonly lastAllottedCycle: number;
  readonly nextAllotmentAt: Instant;
  /** Badges held, e.g. rising_talent, with when they were earned. */
  readonly badges: readonly { readonly badge: 'rising_talent'; readonly grantedAt: Instant }[];
  /** The certification whose bonus was granted, if any. */
  readonly certification: { readonly certificationId: string | null; readonly grantedAt: Instant } | null;
  readonly balance: Balance;
}

/** A freelancer's profile, plan, cycle, badges and balance at now. */
export async function getFreelancer(
  ctx: AppContext,
  input: GetFreelancerInput,
  now: Instant,
): Promise<Result<FreelancerView>> {
  const parsed = parseInput(getFreelancerInputSchema, input);
  if (!parsed.ok) return parsed;
  const found = await requireFreelancer(ctx.store, parsed.value.freelancerId);
  if (!found.ok) return found;
  const f = found.value;
  const rewards = await listRewards(ctx.store, f.id);
  const certification = rewards.find((r) => r.reward === 'certification');
  const pending =
    f.pendingPlan === null || f.pendingSince === null
      ? null
      : { plan: f.pendingPlan, requestedAt: f.pendingSince, effectiveAt: f.nextCycleAt };
  return ok({
    id: f.id,
    name: f.name,
    registeredAt: f.registeredAt,
    plan: f.plan,
    pendingPlanChange: pending,
    anchorDay: f.anchorDay,
    cycle: anchoredCycleAt(f.cycleAnchor, Math.max(now, f.cycleAnchor.at)),
    lastAllottedCycle: f.lastAllottedCycle,
    nextAllotmentAt: f.nextCycleAt,
    badges: rewards
      .filter((r) => r.reward === 'rising_talent')
      .map((r) => ({ badge: 'rising_talent', grantedAt: r.grantedAt })),
    certification:
      certification === undefined
        ? null
        : { certificationId: certification.ref, grantedAt: certification.grantedAt },
    balance: await readBalance(ctx, f.id, now, now),
  });
}
