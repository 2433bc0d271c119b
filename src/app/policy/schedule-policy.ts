import { z } from 'zod';
import { connectsError, err, ok, type ConnectsError, type Result } from '../../core/errors.ts';
import { parsePolicy } from '../../core/policy/schema.ts';
import { policyStateAt, withScheduled } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../input/parse-input.ts';
import { LivePolicyTimeline } from './live-timeline.ts';
import { writePolicyEvent } from './policy-events.ts';
import {
  bumpTimelineVersion,
  canonicalPolicy,
  insertPolicyRow,
  lockTimeline,
  readStoredTimeline,
  seedTimeline,
  viewsAt,
  type PolicyView,
} from './stored-timeline.ts';

export const MAX_POLICY_NOTE = 500;

export const schedulePolicyInputSchema = z.strictObject({
  /** The policy document; validated in full by the policy schema (every problem with its path). */
  policy: z.record(z.string(), z.unknown()),
  note: z.string().trim().max(MAX_POLICY_NOTE).nullable().optional(),
  /** Who schedules it, recorded with it and in its event: the operator, or 'cli'. */
  scheduledBy: z.string().trim().min(1).max(200),
  /**
   * false (POST): idempotent by id, a different body under a known id is policy_conflict.
   * true (PUT): a scheduled policy with this id is replaced.
   */
  replace: z.boolean().optional(),
});
export type SchedulePolicyInput = z.input<typeof schedulePolicyInputSchema>;

export interface ScheduleOutcome {
  /** false: the same policy and note were already stored (a replay); nothing was written. */
  readonly changed: boolean;
  readonly replaced: boolean;
  readonly view: PolicyView;
}

/** The policy's own validation issues, with paths under `policy`. */
function underPolicy(error: ConnectsError): ConnectsError {
  const issues = (error.details?.['issues'] as { path: string; message: string }[] | undefined) ?? [];
  return connectsError(error.code, error.message, {
    ...error.details,
    issues: issues.map((i) => ({
      in: 'input',
      path: i.path === '' ? 'policy' : `policy.${i.path}`,
      message: i.message,
    })),
  });
}

/**
 * Schedules a policy on the stored timeline (docs/policy.md): effective at or
 * after `now`, never changing a policy in force or past. Under the timeline's
 * row lock, so two operators (or processes) never interleave. Writes the row,
 * bumps the version (every process reloads within its poll) and
 * policy.scheduled, in one transaction.
 */
export async function schedulePolicy(
  ctx: AppContext,
  input: SchedulePolicyInput,
  now: Instant,
): Promise<Result<ScheduleOutcome>> {
  const parsed = parseInput(schedulePolicyInputSchema, input);
  if (!parsed.ok) return parsed;
  const { scheduledBy, replace = false } = parsed.value;
  const note = parsed.value.note === undefined || parsed.value.note === '' ? null : parsed.value.note;
  const policy = parsePolicy(parsed.value.policy);
  if (!policy.ok) return err(underPolicy(policy.error));
  // The first change on a store never seeded seeds the built-in eras first.
  await seedTimeline(ctx.store, now);
  const outcome = await ctx.store.transaction(async (tx): Promise<Result<ScheduleOutcome>> => {
    await lockTimeline(tx);
    const stored = await readStoredTimeline(tx);
    const index = stored.records.findIndex((r) => r.policy.id === policy.value.id);
    const existing = stored.records[index];
    if (existing !== undefined) {
      const same =
        canonicalPolicy(existing.policy) === canonicalPolicy(policy.value) && existing.note === note;
      if (same)
        return ok({ changed: false, replaced: false, view: viewsAt(stored, now)[index] as PolicyView });
      if (!replace) {
        return err(
          connectsError(
            'policy_conflict',
            `Policy ${policy.value.id} was scheduled before with a different body.`,
            {
              id: policy.value.id,
            },
          ),
        );
      }
    }
    const next = withScheduled(stored.timeline, policy.value, now);
    if (!next.ok) return err(next.error.code === 'validation_failed' ? underPolicy(next.error) : next.error);
    if (existing !== undefined) await tx.query('DELETE FROM policies WHERE id = $1', [policy.value.id]);
    await insertPolicyRow(tx, { policy: policy.value, note, scheduledBy, scheduledAt: now });
    await bumpTimelineVersion(tx);
    await writePolicyEvent(
      tx,
      'policy.scheduled',
      policy.value,
      { note, actor: scheduledBy, replaced: existing !== undefined },
      now,
    );
    const at = next.value.policies.findIndex((p) => p.id === policy.value.id);
    const view: PolicyView = {
      policy: policy.value,
      note,
      scheduledBy,
      scheduledAt: now,
      announcedAt: null,
      state: policyStateAt(next.value, at, now),
    };
    return ok({ changed: true, replaced: existing !== undefined, view });
  });
  // This process sees its own change at once; the others at their next poll.
  if (outcome.ok && outcome.value.changed && ctx.timeline instanceof LivePolicyTimeline) {
    await ctx.timeline.refresh();
  }
  return outcome;
}
