import { z } from 'zod';
import { err, ok, type Result } from '../../core/errors.ts';
import { withoutScheduled } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../input/parse-input.ts';
import { LivePolicyTimeline } from './live-timeline.ts';
import { writePolicyEvent } from './policy-events.ts';
import {
  bumpTimelineVersion,
  lockTimeline,
  readStoredTimeline,
  seedTimeline,
  type PolicyRecord,
} from './stored-timeline.ts';

export const withdrawPolicyInputSchema = z.strictObject({
  id: z.string().min(1).max(64),
  /** Who withdraws it, recorded in policy.withdrawn. */
  withdrawnBy: z.string().trim().min(1).max(200),
});
export type WithdrawPolicyInput = z.input<typeof withdrawPolicyInputSchema>;

/**
 * Withdraws a scheduled policy: its row is deleted (it never judged anything)
 * and policy.withdrawn is written, in one transaction under the timeline's
 * lock. A policy in force or past is policy_in_force; an unknown id
 * policy_not_found.
 */
export async function withdrawPolicy(
  ctx: AppContext,
  input: WithdrawPolicyInput,
  now: Instant,
): Promise<Result<PolicyRecord>> {
  const parsed = parseInput(withdrawPolicyInputSchema, input);
  if (!parsed.ok) return parsed;
  const { id, withdrawnBy } = parsed.value;
  // The first change on a store never seeded seeds the built-in eras first.
  await seedTimeline(ctx.store, now);
  const outcome = await ctx.store.transaction(async (tx): Promise<Result<PolicyRecord>> => {
    await lockTimeline(tx);
    const stored = await readStoredTimeline(tx);
    const next = withoutScheduled(stored.timeline, id, now);
    if (!next.ok) return err(next.error);
    const record = stored.records.find((r) => r.policy.id === id) as PolicyRecord;
    await tx.query('DELETE FROM policies WHERE id = $1', [id]);
    await bumpTimelineVersion(tx);
    await writePolicyEvent(
      tx,
      'policy.withdrawn',
      record.policy,
      { note: record.note, actor: withdrawnBy },
      now,
    );
    return ok(record);
  });
  if (outcome.ok && ctx.timeline instanceof LivePolicyTimeline) await ctx.timeline.refresh();
  return outcome;
}
