import { z } from 'zod';
import { cardSchema } from '../input/cards.ts';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { planNames } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import {
  findFreelancer,
  lockFreelancer,
  requireFreelancer,
  type Freelancer,
} from '../accounts/freelancer-rows.ts';
import type { AppContext } from '../context.ts';
import { defaultRenewOptions, renewAccount } from '../scheduler/renew-account.ts';
import { appendPlanEvents } from './plan-events.ts';
import { upgradeToPlus } from './upgrade.ts';

export const changePlanInputSchema = z.strictObject({
  freelancerId: idSchema,
  plan: z.enum(planNames),
  /** Card charged now and at each renewal; required for an upgrade unless one is on file. */
  card: cardSchema.optional(),
});
export type ChangePlanInput = z.input<typeof changePlanInputSchema>;

export type PlanChange = 'upgraded' | 'downgrade_scheduled' | 'downgrade_cancelled' | 'unchanged';

export interface ChangePlanOutput {
  /** The freelancer after the change. */
  readonly freelancer: Freelancer;
  readonly change: PlanChange;
  /** When the change takes effect: now for an upgrade, the next renewal for a downgrade. */
  readonly effectiveAt: Instant;
  /** Prorated Plus Connects granted by the upgrade (rules.md 3.2). */
  readonly prorationConnects: number;
  readonly chargedCents: number;
  readonly chargeId: string | null;
  /** True when this repeats a change already made (nothing new happened). */
  readonly replayed: boolean;
}

/**
 * Changes a freelancer's plan (rules.md 3.2). An upgrade to Plus is charged and
 * takes effect at once, with the prorated extra allotment for the rest of
 * the cycle; a downgrade (or cancellation) is recorded and takes effect at
 * the next renewal; asking for Plus again before then cancels it. Cycles
 * that are due are renewed first, so the change lands in the current cycle.
 */
export async function changePlan(
  ctx: AppContext,
  input: ChangePlanInput,
  now: Instant,
): Promise<Result<ChangePlanOutput>> {
  const parsed = parseInput(changePlanInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId: id, plan, card } = parsed.value;
  const known = await requireFreelancer(ctx.store, id);
  if (!known.ok) return known;
  if (known.value.registeredAt > now) {
    return err(connectsError('validation_failed', 'A plan cannot change before registration.', { now }));
  }
  const caughtUp = await renewAccount(ctx, id, now, defaultRenewOptions);
  if (caughtUp.deferred) {
    return err(
      connectsError(
        'payment_unavailable',
        'The renewal payment could not be completed right now. Retry later.',
        {
          freelancerId: id,
        },
      ),
    );
  }
  return plan === 'plus' ? upgradeToPlus(ctx, id, card ?? null, now) : scheduleDowngrade(ctx, id, now);
}

async function scheduleDowngrade(
  ctx: AppContext,
  id: string,
  now: Instant,
): Promise<Result<ChangePlanOutput>> {
  const outcome = await ctx.store.transaction(async (tx) => {
    const g = await lockFreelancer(tx, id);
    if (g === undefined) throw new Error(`freelancer ${id} vanished`);
    if (g.plan === 'basic') return 'unchanged' as const;
    if (g.pendingPlan === 'basic') return 'replayed' as const;
    await tx.query('UPDATE freelancers SET pending_plan = $2, pending_since = $3 WHERE id = $1', [
      id,
      'basic',
      now,
    ]);
    const cycleIndex = g.lastAllottedCycle;
    await appendPlanEvents(tx, g, [
      { kind: 'downgrade_requested', occurredAt: now, cycleIndex, plan: 'plus' },
    ]);
    return 'scheduled' as const;
  });
  const freelancer = await findFreelancer(ctx.store, id);
  if (freelancer === undefined) throw new Error(`freelancer ${id} vanished`);
  return ok({
    freelancer,
    change: outcome === 'unchanged' ? 'unchanged' : 'downgrade_scheduled',
    effectiveAt: outcome === 'unchanged' ? now : freelancer.nextCycleAt,
    prorationConnects: 0,
    chargedCents: 0,
    chargeId: null,
    replayed: outcome === 'replayed',
  });
}
