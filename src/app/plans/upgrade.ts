import { anchorDay, anchoredCycleAt, type Cycle } from '../../core/calendar.ts';
import { connectsError, ConnectsFailure, err, ok, type Result } from '../../core/errors.ts';
import type { GrantOp } from '../../core/ledger/operations.ts';
import { upgradeQuote, type UpgradeQuote } from '../../core/plan-upgrade.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import { findFreelancer, lockFreelancer, type Freelancer } from '../accounts/freelancer-rows.ts';
import { allotmentLifetime, allotmentOp, cycleRef, grantOp } from '../accounts/grants.ts';
import type { AppContext } from '../context.ts';
import type { ChangePlanOutput } from './change-plan.ts';
import { chargePlan, refundUnused, upgradeChargeKey } from './charge-plan.ts';
import { appendPlanEvents, findCycleEvent } from './plan-events.ts';

/** Idempotency key of an upgrade's prorated grant: one per freelancer and cycle. */
export const prorationKey = (id: string, cycleIndex: number): string => `proration:${id}:${cycleIndex}`;

/**
 * What the upgrade grants (rules.md 3.2), under the plan's holding cap: the
 * prorated extra allotment for the rest of the cycle, or, when the cycle
 * restarts at the upgrade, the new cycle's full Plus allotment.
 */
export function upgradeGrant(policy: Policy, quote: UpgradeQuote, now: Instant): GrantOp | null {
  if (quote.billing === 'restart_cycle') return allotmentOp(policy, 'plus', quote.cycle);
  return grantOp(policy, 'plus', {
    amount: quote.connects,
    source: 'proration',
    issuedAt: now,
    cycle: quote.cycle,
    lifetime: allotmentLifetime(policy, 'plus'),
    ref: cycleRef(quote.cycle.index),
    reason: 'upgrade:plus',
  });
}

async function output(
  ctx: AppContext,
  id: string,
  now: Instant,
  fields: Pick<ChangePlanOutput, 'change' | 'prorationConnects' | 'chargedCents' | 'chargeId' | 'replayed'>,
): Promise<Result<ChangePlanOutput>> {
  const freelancer = await findFreelancer(ctx.store, id);
  if (freelancer === undefined) throw new Error(`freelancer ${id} vanished`);
  return ok({ freelancer, effectiveAt: now, ...fields });
}

/** Already on Plus: cancel a pending downgrade, or repeat this cycle's upgrade answer. */
async function alreadyPlus(ctx: AppContext, f: Freelancer, card: string | null, now: Instant) {
  const cancelled = await ctx.store.transaction(async (tx) => {
    const g = await lockFreelancer(tx, f.id);
    if (g === undefined || g.plan !== 'plus') return false;
    if (card !== null) await tx.query('UPDATE freelancers SET card = $2 WHERE id = $1', [f.id, card]);
    if (g.pendingPlan === null) return false;
    await tx.query('UPDATE freelancers SET pending_plan = NULL, pending_since = NULL WHERE id = $1', [f.id]);
    const event = {
      kind: 'downgrade_cancelled',
      occurredAt: now,
      cycleIndex: g.lastAllottedCycle,
      plan: 'plus',
    } as const;
    await appendPlanEvents(tx, g, [event]);
    return true;
  });
  if (cancelled) {
    const fields = { prorationConnects: 0, chargedCents: 0, chargeId: null, replayed: false };
    return output(ctx, f.id, now, { change: 'downgrade_cancelled', ...fields });
  }
  const upgraded = await findCycleEvent(ctx.store, f.id, f.lastAllottedCycle, 'upgraded');
  return output(ctx, f.id, now, {
    change: upgraded === undefined ? 'unchanged' : 'upgraded',
    prorationConnects: upgraded?.connects ?? 0,
    chargedCents: upgraded?.amountCents ?? 0,
    chargeId: upgraded?.chargeId ?? null,
    replayed: true,
  });
}

type Applied = { kind: 'upgraded'; connects: number } | { kind: 'twin' } | { kind: 'stale' };

/** A restarted cycle: it is the one now allotted, and the calendar counts from the upgrade instant. */
const restartSql = `UPDATE freelancers SET last_allotted_cycle = $2, next_cycle_at = $3, anchor_day = $4,
  cycle_anchor_at = $5, cycle_anchor_index = $2 WHERE id = $1`;

async function applyUpgrade(
  tx: StoreTx,
  ctx: AppContext,
  id: string,
  current: Cycle,
  charge: { card: string | null; priceCents: number; chargeId: string | null },
  now: Instant,
): Promise<Applied> {
  const g = await lockFreelancer(tx, id);
  if (g === undefined) throw new Error(`freelancer ${id} vanished`);
  if (g.plan === 'plus') return { kind: 'twin' };
  if (g.lastAllottedCycle !== current.index) return { kind: 'stale' };
  const policy = policyAt(ctx.timeline, now);
  const quote = upgradeQuote(policy, current, now);
  const op = upgradeGrant(policy, quote, now);
  let connects = 0;
  if (op !== null) {
    const applied = await tx.applyOps(id, [op], now, prorationKey(id, current.index));
    if (!applied.ok) throw new ConnectsFailure(applied.error);
    for (const entry of applied.value.entries) if (entry.type === 'grant') connects += entry.amount;
  }
  await tx.query(
    "UPDATE freelancers SET plan = 'plus', card = $2, pending_plan = NULL, pending_since = NULL WHERE id = $1",
    [id, charge.card],
  );
  if (quote.billing === 'restart_cycle') {
    await tx.query(restartSql, [id, quote.cycle.index, quote.cycle.end, anchorDay(now), now]);
  }
  const cycle = quote.cycle;
  const event = { kind: 'upgraded', occurredAt: now, cycleIndex: cycle.index, plan: 'plus' } as const;
  await appendPlanEvents(tx, g, [
    { ...event, amountCents: charge.priceCents, chargeId: charge.chargeId, connects },
  ]);
  return { kind: 'upgraded', connects };
}

/**
 * Basic to Plus mid-cycle (rules.md 3.2), billed per `plans.plus.upgradeBilling`:
 * charge the quoted price (before the transaction, keyed by freelancer and
 * cycle), then in one transaction grant the Connects and switch the plan.
 * `prorate` keeps the anchor and charges the days left; `restart_cycle`
 * starts a new cycle now (full price, full allotment, anchor at the upgrade).
 */
export async function upgradeToPlus(
  ctx: AppContext,
  id: string,
  card: string | null,
  now: Instant,
): Promise<Result<ChangePlanOutput>> {
  const f = await findFreelancer(ctx.store, id);
  if (f === undefined) throw new Error(`freelancer ${id} vanished`);
  if (f.plan === 'plus') return alreadyPlus(ctx, f, card, now);
  const cardOnFile = card ?? f.card;
  const cycle = anchoredCycleAt(f.cycleAnchor, now);
  const quote = upgradeQuote(policyAt(ctx.timeline, now), cycle, now);
  const priceCents = quote.priceCents;
  if (priceCents > 0 && cardOnFile === null) {
    return err(connectsError('validation_failed', 'A card is required to upgrade to Freelancer Plus.'));
  }
  const key = upgradeChargeKey(id, cycle.index, cardOnFile);
  const outcome = await chargePlan(ctx, key, cardOnFile, priceCents, `Freelancer Plus, cycle ${cycle.index}`);
  if (outcome.status === 'declined') {
    return err(
      connectsError('payment_declined', `The payment was declined: ${outcome.reason}.`, {
        reason: outcome.reason,
      }),
    );
  }
  if (outcome.status === 'failed') {
    return err(
      connectsError('payment_unavailable', 'The payment could not be completed right now. Retry later.'),
    );
  }
  const chargeId = outcome.chargeId === '' ? null : outcome.chargeId;
  const charge = { card: cardOnFile, priceCents, chargeId };
  const applied = await ctx.store.transaction((tx) => applyUpgrade(tx, ctx, id, cycle, charge, now));
  if (applied.kind === 'stale') {
    return err(
      connectsError('conflict', 'The billing cycle changed during the upgrade; retry.', { freelancerId: id }),
    );
  }
  if (applied.kind === 'twin') {
    // A concurrent upgrade won; this charge is ours alone only when it used another card.
    const winner = await findCycleEvent(ctx.store, id, cycle.index, 'upgraded');
    if (chargeId !== null && winner?.chargeId !== chargeId)
      await refundUnused(ctx, key, chargeId, priceCents);
    return alreadyPlus(ctx, f, null, now);
  }
  return output(ctx, id, now, {
    change: 'upgraded',
    prorationConnects: applied.connects,
    chargedCents: priceCents,
    chargeId,
    replayed: false,
  });
}
