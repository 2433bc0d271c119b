import { anchoredCycleStart, type Cycle } from '../../core/calendar.ts';
import { ConnectsFailure } from '../../core/errors.ts';
import type { PlanName } from '../../core/policy/schema.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import { findFreelancer, lockFreelancer, type Freelancer } from '../accounts/freelancer-rows.ts';
import { allotmentOp, rolloverOp } from '../accounts/grants.ts';
import type { AppContext } from '../context.ts';
import type { ChargeOutcome } from '../payments/payment-provider.ts';
import { chargePlan, refundUnused, renewalChargeKey } from '../plans/charge-plan.ts';
import { appendPlanEvents, type NewPlanEvent } from '../plans/plan-events.ts';

/**
 * The per-account renewal path (rules.md 2.9, 3.2): catches up every cycle of
 * one freelancer that has started by `now`, oldest first, one transaction
 * per cycle. At each renewal, in order: a pending downgrade takes effect;
 * Plus is charged (before the transaction, keyed by freelancer and cycle)
 * and a failed payment drops the account to Basic at once; the rollover cap
 * of the policy in force at the cycle start applies; then that cycle's
 * allotment is issued at the cycle start. `last_allotted_cycle` advances in
 * the same transaction, under the freelancer's row lock: no cycle twice.
 */

export interface RenewOptions {
  /** 'skip' leaves an account another worker holds (the tick); 'wait' queues behind it (a use case). */
  readonly lock: 'wait' | 'skip';
  /** A transient payment failure is retried by later calls until the cycle is this old, then it fails. */
  readonly paymentRetryMs: number;
  /** Most cycles one call catches up. */
  readonly maxCycles: number;
}

export const defaultRenewOptions: RenewOptions = { lock: 'wait', paymentRetryMs: MS_PER_DAY, maxCycles: 240 };

export interface RenewReport {
  /** Cycles renewed (allotment issued, even when the plan's allotment is 0). */
  cycles: number;
  /** Allotment lots created. */
  allotments: number;
  /** Connects credited by those allotments. */
  connects: number;
  /** Expiry entries the renewals wrote (rollover caps, lots already expired when issued or touched). */
  expired: number;
  /** Plus renewals paid. */
  charged: number;
  /** Renewals that dropped the account to Basic (pending downgrade or failed payment). */
  downgraded: number;
  paymentFailures: number;
  /** Stopped at a transient payment failure; a later call retries. */
  deferred: boolean;
  /** Another worker holds the account. */
  skipped: boolean;
}

export const emptyRenewReport = (): RenewReport => ({
  cycles: 0,
  allotments: 0,
  connects: 0,
  expired: 0,
  charged: 0,
  downgraded: 0,
  paymentFailures: 0,
  deferred: false,
  skipped: false,
});

export function cycleOf(freelancer: Pick<Freelancer, 'cycleAnchor'>, index: number): Cycle {
  const anchor = freelancer.cycleAnchor;
  return { index, start: anchoredCycleStart(anchor, index), end: anchoredCycleStart(anchor, index + 1) };
}

/** The plan a freelancer renews into, before payment: a pending change wins. */
const renewalTarget = (f: Freelancer): PlanName => f.pendingPlan ?? f.plan;

type Step =
  | {
      kind: 'renewed';
      usedCharge: boolean;
      allotted: number;
      expired: number;
      plan: PlanName;
      failed: boolean;
      dropped: boolean;
    }
  | { kind: 'skipped' }
  | { kind: 'again' };

interface Charge {
  readonly key: string;
  readonly priceCents: number;
  readonly outcome: ChargeOutcome;
}

function renewalEvents(g: Freelancer, cycle: Cycle, now: Instant, charge: Charge | null, plan: PlanName) {
  const events: NewPlanEvent[] = [];
  const base = { occurredAt: now, cycleIndex: cycle.index, plan };
  if (g.plan === 'plus' && g.pendingPlan === 'basic') events.push({ ...base, kind: 'downgraded' });
  if (renewalTarget(g) === 'plus' && charge !== null) {
    const { outcome } = charge;
    if (outcome.status === 'succeeded') {
      const chargeId = outcome.chargeId === '' ? null : outcome.chargeId;
      events.push({ ...base, kind: 'renewed', amountCents: charge.priceCents, chargeId });
    } else events.push({ ...base, kind: 'payment_failed', reason: outcome.reason });
  }
  return events;
}

async function renewCycle(
  tx: StoreTx,
  ctx: AppContext,
  id: string,
  cycle: Cycle,
  charge: Charge | null,
  now: Instant,
  lock: RenewOptions['lock'],
): Promise<Step> {
  const g = await lockFreelancer(tx, id, lock);
  if (g === undefined) return { kind: 'skipped' };
  if (g.lastAllottedCycle !== cycle.index - 1 || g.nextCycleAt > now) return { kind: 'again' };
  const target = renewalTarget(g);
  if (target === 'plus' && charge === null) return { kind: 'again' }; // upgraded meanwhile: charge first
  const paid = target === 'plus' && charge !== null && charge.outcome.status === 'succeeded';
  const plan: PlanName = target === 'plus' && !paid ? 'basic' : target;
  const policy = policyAt(ctx.timeline, cycle.start);
  const ops = [rolloverOp(policy, plan, cycle), allotmentOp(policy, plan, cycle)].filter((op) => op !== null);
  let allotted = 0;
  let expired = 0;
  if (ops.length > 0) {
    const applied = await tx.applyOps(id, ops, now);
    if (!applied.ok) throw new ConnectsFailure(applied.error);
    for (const entry of applied.value.entries) {
      if (entry.lot?.source === 'allotment') allotted += entry.amount;
      if (entry.type === 'expiry') expired += 1;
    }
  }
  await tx.query(
    `UPDATE freelancers SET plan = $2, pending_plan = NULL, pending_since = NULL, last_allotted_cycle = $3,
       next_cycle_at = $4 WHERE id = $1`,
    [id, plan, cycle.index, cycle.end],
  );
  await appendPlanEvents(tx, g, renewalEvents(g, cycle, now, target === 'plus' ? charge : null, plan));
  const failed = target === 'plus' && !paid;
  return { kind: 'renewed', usedCharge: paid, allotted, expired, plan, failed, dropped: g.plan !== plan };
}

/** Charges Plus for the cycle when the account renews into it; null when nothing is due. */
async function chargeFor(ctx: AppContext, f: Freelancer, cycle: Cycle): Promise<Charge | null> {
  if (renewalTarget(f) !== 'plus') return null;
  const priceCents = policyAt(ctx.timeline, cycle.start).plans.plus.priceCents;
  const key = renewalChargeKey(f.id, cycle.index);
  const outcome = await chargePlan(ctx, key, f.card, priceCents, `Freelancer Plus, cycle ${cycle.index}`);
  return { key, priceCents, outcome };
}

export async function renewAccount(
  ctx: AppContext,
  id: string,
  now: Instant,
  options: RenewOptions = defaultRenewOptions,
): Promise<RenewReport> {
  const report = emptyRenewReport();
  // Each pass renews one cycle or finds the state moved; twice the cycle limit bounds the retries.
  for (let pass = 0; pass < 2 * options.maxCycles && report.cycles < options.maxCycles; pass += 1) {
    const f = await findFreelancer(ctx.store, id);
    if (f === undefined || f.nextCycleAt > now) break;
    const cycle = cycleOf(f, f.lastAllottedCycle + 1);
    const charge = await chargeFor(ctx, f, cycle);
    if (charge?.outcome.status === 'failed' && now - cycle.start < options.paymentRetryMs) {
      report.deferred = true;
      break;
    }
    const step = await ctx.store.transaction((tx) =>
      renewCycle(tx, ctx, id, cycle, charge, now, options.lock),
    );
    if (step.kind === 'skipped') {
      report.skipped = true;
      break;
    }
    if (step.kind === 'again') continue;
    const { outcome } = charge ?? {};
    if (charge !== null && outcome?.status === 'succeeded' && !step.usedCharge) {
      await refundUnused(ctx, charge.key, outcome.chargeId, charge.priceCents);
    }
    report.cycles += 1;
    report.allotments += step.allotted > 0 ? 1 : 0;
    report.connects += step.allotted;
    report.expired += step.expired;
    report.charged += step.usedCharge && charge !== null && charge.priceCents > 0 ? 1 : 0;
    report.downgraded += step.dropped && step.plan === 'basic' ? 1 : 0;
    report.paymentFailures += step.failed ? 1 : 0;
  }
  return report;
}
