import { z } from 'zod';
import { ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import { MAX_LOW_BALANCE_THRESHOLD } from '../../events/settings.ts';
import { notFound } from '../accounts/freelancer-rows.ts';
import type { AppContext } from '../context.ts';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';

export const setLowBalanceThresholdInputSchema = z.strictObject({
  freelancerId: idSchema,
  /** balance.low fires for this freelancer below this many Connects (0: never); null: the operator-wide one. */
  connects: z.int().min(0).max(MAX_LOW_BALANCE_THRESHOLD).nullable(),
});
export type SetLowBalanceThresholdInput = z.input<typeof setLowBalanceThresholdInputSchema>;

export interface LowBalanceThresholdResult {
  readonly freelancerId: string;
  /** The freelancer's own threshold, or null when the operator-wide one applies. */
  readonly connects: number | null;
}

/**
 * Sets or clears one freelancer's low-balance threshold. It applies to entries
 * written from now on: the outbox trigger (migration 070) reads it with each
 * write, so events already written stay as they were. Setting the same value
 * again answers the same.
 */
export async function setLowBalanceThreshold(
  ctx: AppContext,
  input: SetLowBalanceThresholdInput,
  _now: Instant,
): Promise<Result<LowBalanceThresholdResult>> {
  const parsed = parseInput(setLowBalanceThresholdInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId, connects } = parsed.value;
  const updated = await ctx.store.query<{ id: string }>(
    'UPDATE freelancers SET low_balance_threshold = $2 WHERE id = $1 RETURNING id',
    [freelancerId, connects],
  );
  if (updated.rows.length === 0) return notFound(freelancerId);
  return ok({ freelancerId, connects });
}
