import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, ConnectsFailure, err, ok, type Result } from '../../core/errors.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { lockFreelancer, requireFreelancer } from './freelancer-rows.ts';
import { findReward, grantReward, type Reward } from './rewards.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';

export const completeCertificationInputSchema = z.strictObject({
  freelancerId: idSchema,
  /** The marketplace's id of the certification the freelancer completed. */
  certificationId: idSchema,
});
export type CompleteCertificationInput = z.input<typeof completeCertificationInputSchema>;

export interface CompleteCertificationOutput {
  readonly reward: Reward;
  /** True when this repeats the call that earned the bonus. */
  readonly replayed: boolean;
}

const ledgerRef = (certificationId: string) => `certification:${certificationId}`;

/** The stored reward answers a repeat of the same certification; another one was already rewarded. */
function answer(
  reward: Reward,
  certificationId: string,
  replayed: boolean,
): Result<CompleteCertificationOutput> {
  if (reward.ref === certificationId) return ok({ reward, replayed });
  return err(
    connectsError(
      'already_granted',
      'The certification bonus was already granted for another certification.',
      {
        certificationId: reward.ref,
        grantedAt: reward.grantedAt,
      },
    ),
  );
}

/**
 * A completed skill certification earns `grants.certification` Connects
 * (source certification) once per account (rules.md 2.4). Repeating the call
 * for the same certification returns the original result; another
 * certification gets `already_granted`.
 */
export async function completeCertification(
  ctx: AppContext,
  input: CompleteCertificationInput,
  now: Instant,
): Promise<Result<CompleteCertificationOutput>> {
  const parsed = parseInput(completeCertificationInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId: id, certificationId } = parsed.value;
  const known = await requireFreelancer(ctx.store, id);
  if (known.ok && known.value.registeredAt <= now) await renewCappedFirst(ctx, id, now);
  if (!known.ok) return known;
  const prior = await findReward(ctx.store, id, 'certification');
  if (prior !== undefined) return answer(prior, certificationId, true);
  if (now < known.value.registeredAt) {
    return err(connectsError('validation_failed', 'A certification cannot precede registration.', { now }));
  }
  const amount = policyAt(ctx.timeline, now).grants.certification;
  try {
    const outcome = await ctx.store.transaction(async (tx) => {
      const freelancer = await lockFreelancer(tx, id);
      if (freelancer === undefined) throw new Error(`freelancer ${id} vanished`);
      const twin = await findReward(tx, id, 'certification');
      if (twin !== undefined) return { reward: twin, replayed: true };
      const spec = { kind: 'certification', ref: certificationId, amount, source: 'certification' } as const;
      const reward = await grantReward(
        tx,
        ctx,
        freelancer,
        { ...spec, ledgerRef: ledgerRef(certificationId) },
        now,
      );
      return { reward, replayed: false };
    });
    return answer(outcome.reward, certificationId, outcome.replayed);
  } catch (error) {
    if (error instanceof ConnectsFailure) return err(error.toError());
    throw error;
  }
}
