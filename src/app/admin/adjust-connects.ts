import { createHash } from 'node:crypto';
import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { instantOrMillisSchema } from '../input/instants.ts';
import { idempotencyKeySchema, ledgerKeyPart } from '../input/keys.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Balance } from '../../core/ledger/balance.ts';
import type { AdjustOp } from '../../core/ledger/operations.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { Entry } from '../../core/types.ts';
import type { AppContext } from '../context.ts';
import { reasonSchema } from '../purchases/fields.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';
import { lotExpiresAt } from '../accounts/lot-expiry.ts';

/** Largest correction one request may make, either way. */
export const MAX_ADJUST_CONNECTS = 1_000_000;

export const adjustConnectsInputSchema = z
  .strictObject({
    freelancerId: idSchema,
    /** Positive grants a lot (source admin); negative removes Connects in consumption order. Never 0. */
    connects: z
      .int()
      .min(-MAX_ADJUST_CONNECTS)
      .max(MAX_ADJUST_CONNECTS)
      .refine((n) => n !== 0, 'must not be 0'),
    /** Required: every correction says why. */
    reason: reasonSchema,
    /** Expiry of granted Connects; absent: the policy's lot lifetime. Only for a grant. */
    expiresAt: instantOrMillisSchema.optional(),
    /** The request's Idempotency-Key: a retry replays the original result. */
    idempotencyKey: idempotencyKeySchema,
  })
  .refine((input) => input.connects > 0 || input.expiresAt === undefined, {
    message: 'expiresAt applies only when Connects are added',
    path: ['expiresAt'],
  });
export type AdjustConnectsInput = z.input<typeof adjustConnectsInputSchema>;

export interface AdjustConnectsResult {
  readonly freelancerId: string;
  readonly connects: number;
  /** The `adjustment` entry (with the lot it created, for a grant). */
  readonly entry: Entry;
  readonly balance: Balance;
  /** True when this answers a retry with the result stored the first time. */
  readonly replayed: boolean;
}

export const adjustKey = (idempotencyKey: string): string => `admin:${ledgerKeyPart(idempotencyKey)}`;

/**
 * An operator's grant or removal of Connects (rules.md 7 admin), recorded as an
 * `adjustment` entry with its reason. Idempotent by the caller's key: the
 * ledger stores the first result under it, and the request hash (what was
 * asked, not when) makes a retry replay it and a different request under
 * the same key `idempotency_conflict`.
 */
export async function adjustConnects(
  ctx: AppContext,
  input: AdjustConnectsInput,
  now: Instant,
): Promise<Result<AdjustConnectsResult>> {
  const parsed = parseInput(adjustConnectsInputSchema, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  if (request.expiresAt !== undefined && request.expiresAt <= now) {
    return err(connectsError('validation_failed', 'Granted Connects must expire after now.', { now }));
  }
  const freelancer = await requireFreelancer(ctx.store, request.freelancerId);
  if (!freelancer.ok) return freelancer;
  await renewCappedFirst(ctx, request.freelancerId, now);
  const expiresAt =
    request.expiresAt ??
    lotExpiresAt(policyAt(ctx.timeline, now).lotLifetime, now, freelancer.value.registeredAt);
  const key = adjustKey(request.idempotencyKey);
  const op: AdjustOp = {
    kind: 'adjust',
    delta: request.connects,
    expiresAt,
    reason: request.reason,
    ref: key,
  };
  const hash = createHash('sha256')
    .update(
      JSON.stringify([request.freelancerId, request.connects, request.reason, request.expiresAt ?? null]),
    )
    .digest('base64url');
  const done = await ctx.store.execute({
    account: request.freelancerId,
    op,
    now,
    idempotencyKey: key,
    requestHash: hash,
  });
  if (!done.ok) return done;
  const entry = done.value.entries.find((e) => e.type === 'adjustment');
  if (entry === undefined) throw new Error('an adjustment wrote no adjustment entry');
  return ok({
    freelancerId: request.freelancerId,
    connects: request.connects,
    entry,
    balance: done.value.balance,
    replayed: done.value.replayed,
  });
}
