import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, ConnectsFailure, err, ok, type Result } from '../../core/errors.ts';
import {
  evaluateRisingTalent,
  risingTalentFactsSchema,
  type Criterion,
} from '../../core/policy/rising-talent.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { lockFreelancer, requireFreelancer } from './freelancer-rows.ts';
import { findReward, grantReward, type Reward } from './rewards.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';

export const reportFactsInputSchema = z.strictObject({
  freelancerId: idSchema,
  facts: risingTalentFactsSchema,
});
export type ReportFactsInput = z.input<typeof reportFactsInputSchema>;

export interface ReportFactsOutput {
  /** Whether the reported facts meet every Rising Talent criterion now. */
  readonly eligible: boolean;
  /** Unmet criteria, in a fixed order; empty when eligible. */
  readonly missing: readonly Criterion[];
  /** True when this report earned the badge (and its Connects). */
  readonly granted: boolean;
  /** The badge, once held (it is never taken back). */
  readonly badge: Reward | null;
}

/** Ledger ref of the badge's grant. */
export const risingTalentRef = 'badge:rising_talent';

/**
 * Stores the facts the marketplace reports about a freelancer and evaluates
 * Rising Talent (rules.md 2.8) under the policy in force now. The first eligible
 * report grants the badge and `grants.risingTalent` Connects (source badge),
 * once; not being eligible is an answer, not an error.
 */
export async function reportFacts(
  ctx: AppContext,
  input: ReportFactsInput,
  now: Instant,
): Promise<Result<ReportFactsOutput>> {
  const parsed = parseInput(reportFactsInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId: id, facts } = parsed.value;
  const known = await requireFreelancer(ctx.store, id);
  if (known.ok && known.value.registeredAt <= now) await renewCappedFirst(ctx, id, now);
  if (!known.ok) return known;
  if (now < known.value.registeredAt) {
    return err(connectsError('validation_failed', 'Facts cannot be reported before registration.', { now }));
  }
  const policy = policyAt(ctx.timeline, now);
  const verdict = evaluateRisingTalent(facts, now, known.value.registeredAt, policy);
  try {
    const outcome = await ctx.store.transaction(async (tx) => {
      // A late report never overwrites a newer one.
      await tx.query(
        `INSERT INTO rising_talent_facts (freelancer_id, facts, reported_at) VALUES ($1, $2, $3)
         ON CONFLICT (freelancer_id) DO UPDATE SET facts = excluded.facts, reported_at = excluded.reported_at
         WHERE rising_talent_facts.reported_at <= excluded.reported_at`,
        [id, JSON.stringify(facts), now],
      );
      const held = await findReward(tx, id, 'rising_talent');
      if (held !== undefined || !verdict.eligible) return { granted: false, badge: held ?? null };
      const freelancer = await lockFreelancer(tx, id);
      if (freelancer === undefined) throw new Error(`freelancer ${id} vanished`);
      const again = await findReward(tx, id, 'rising_talent');
      if (again !== undefined) return { granted: false, badge: again };
      const reward = {
        kind: 'rising_talent',
        ref: null,
        amount: policy.grants.risingTalent,
        source: 'badge',
      } as const;
      const badge = await grantReward(tx, ctx, freelancer, { ...reward, ledgerRef: risingTalentRef }, now);
      return { granted: true, badge };
    });
    return ok({ eligible: verdict.eligible, missing: verdict.missing, ...outcome });
  } catch (error) {
    if (error instanceof ConnectsFailure) return err(error.toError());
    throw error;
  }
}
