import { expiresAtFor, type Cycle } from '../../core/calendar.ts';
import type { GrantOp, RolloverOp } from '../../core/ledger/operations.ts';
import type { LotLifetime, PlanName, Policy } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { LotSource } from '../../core/types.ts';

/**
 * The ledger operations the accounts area issues, built from the policy in
 * force. Every one of them is free Connects; a holding cap of the
 * freelancer's plan truncates any of them (rules.md 1.9).
 */

/** Ref of a cycle's allotment, proration and rollover entries. */
export const cycleRef = (index: number): string => `cycle:${index}`;

/** A plan's allotments may live differently (legacy Basic: to the end of the cycle). */
export function allotmentLifetime(policy: Policy, plan: PlanName): LotLifetime {
  return policy.plans[plan].lotLifetime ?? policy.lotLifetime;
}

export interface GrantSpec {
  readonly amount: number;
  readonly source: LotSource;
  readonly issuedAt: Instant;
  /** The cycle containing issuedAt: an end_of_cycle lifetime ends with it. */
  readonly cycle: Pick<Cycle, 'end'>;
  readonly lifetime: LotLifetime;
  readonly ref: string | null;
  readonly reason: string | null;
}

/** A grant under the plan's holding cap, or null when there is nothing to grant. */
export function grantOp(policy: Policy, plan: PlanName, spec: GrantSpec): GrantOp | null {
  if (spec.amount <= 0) return null;
  return {
    kind: 'grant',
    amount: spec.amount,
    source: spec.source,
    category: 'free',
    issuedAt: spec.issuedAt,
    expiresAt: expiresAtFor(spec.lifetime, spec.issuedAt, spec.cycle.end),
    ref: spec.ref,
    reason: spec.reason,
    holdingCap: policy.plans[plan].holdingCap,
  };
}

/** A cycle's allotment, issued at the cycle's start (rules.md 2.5, 2.6, 2.9). */
export function allotmentOp(policy: Policy, plan: PlanName, cycle: Cycle): GrantOp | null {
  return grantOp(policy, plan, {
    amount: policy.plans[plan].allotment,
    source: 'allotment',
    issuedAt: cycle.start,
    cycle,
    lifetime: allotmentLifetime(policy, plan),
    ref: cycleRef(cycle.index),
    reason: `plan:${plan}`,
  });
}

/** A one-time reward issued now with the policy's default lifetime. */
export function rewardOp(
  policy: Policy,
  plan: PlanName,
  amount: number,
  source: LotSource,
  now: Instant,
  cycle: Pick<Cycle, 'end'>,
  ref: string,
): GrantOp | null {
  return grantOp(policy, plan, {
    amount,
    source,
    issuedAt: now,
    cycle,
    lifetime: policy.lotLifetime,
    ref,
    reason: null,
  });
}

/**
 * The rollover cap at a renewal, or null when the plan has none (rules.md 1.9).
 * It is judged at the cycle start, however late the renewal runs.
 */
export function rolloverOp(
  policy: Policy,
  plan: PlanName,
  cycle: Pick<Cycle, 'index' | 'start'>,
): RolloverOp | null {
  const cap = policy.plans[plan].rolloverCap;
  return cap === null ? null : { kind: 'rollover', cap, ref: cycleRef(cycle.index), at: cycle.start };
}
