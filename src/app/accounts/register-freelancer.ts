import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { instantOrMillisSchema } from '../input/instants.ts';
import { parseInput } from '../input/parse-input.ts';
import { anchorDay, cycleAt, type Cycle } from '../../core/calendar.ts';
import { connectsError, ConnectsFailure, err, ok, type Result } from '../../core/errors.ts';
import type { Balance } from '../../core/ledger/balance.ts';
import type { Operation } from '../../core/ledger/operations.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { Entry } from '../../core/types.ts';
import type { StoreTx } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import {
  findFreelancer,
  freelancerColumns,
  freelancerFromRow,
  type Freelancer,
  type FreelancerRow,
} from './freelancer-rows.ts';
import { allotmentOp, rewardOp } from './grants.ts';

export const registerFreelancerInputSchema = z.strictObject({
  /** The marketplace's id for the freelancer; also the ledger account. */
  id: idSchema,
  name: z.string().trim().min(1).max(200).optional(),
  /** Defaults to now; an earlier instant imports an existing member (the scheduler catches up later cycles). */
  registeredAt: instantOrMillisSchema.optional(),
});
export type RegisterFreelancerInput = z.input<typeof registerFreelancerInputSchema>;

export interface RegisterFreelancerOutput {
  readonly freelancer: Freelancer;
  /** The registration cycle; its allotment was issued with the signup grant. */
  readonly firstCycle: Cycle;
  /** The signup grant and the first allotment, as recorded at registration. */
  readonly entries: readonly Entry[];
  /** Balance right after registration. */
  readonly balance: Balance;
  readonly replayed: boolean;
}

/** Idempotency key of the registration grants (scoped to the account by the store). */
export const registrationKey = (id: string): string => `register:${id}`;

/** Signup grant plus the first cycle's allotment, under the policy in force at registration. */
function registrationOps(ctx: AppContext, registeredAt: Instant): { ops: Operation[]; cycle: Cycle } {
  const policy = policyAt(ctx.timeline, registeredAt);
  const cycle = cycleAt(registeredAt, registeredAt);
  const signup = rewardOp(
    policy,
    'basic',
    policy.grants.signup,
    'signup',
    registeredAt,
    cycle,
    'registration',
  );
  const allotment = allotmentOp(policy, 'basic', cycle);
  return { ops: [signup, allotment].filter((op) => op !== null), cycle };
}

const insertSql = `INSERT INTO freelancers (id, name, registered_at, anchor_day, plan, last_allotted_cycle, next_cycle_at)
  VALUES ($1, $2, $3, $4, 'basic', 0, $5) ON CONFLICT (id) DO NOTHING RETURNING ${freelancerColumns}`;

/** Applies (or, with the same key, replays) the registration grants. */
async function grantRegistration(tx: StoreTx, id: string, ops: Operation[], now: Instant) {
  if (ops.length === 0) return { entries: [], balance: { balance: 0, available: 0, held: 0 } };
  const applied = await tx.applyOps(id, ops, now, registrationKey(id));
  if (!applied.ok) throw new ConnectsFailure(applied.error);
  return applied.value;
}

/**
 * Registers a freelancer on Freelancer Basic (rules.md 2.1, 2.9): the row, the
 * signup grant and the first cycle's allotment commit in one transaction.
 * Idempotent by id: the same details return the original result, different
 * ones `freelancer_exists`.
 */
export async function registerFreelancer(
  ctx: AppContext,
  input: RegisterFreelancerInput,
  now: Instant,
): Promise<Result<RegisterFreelancerOutput>> {
  const parsed = parseInput(registerFreelancerInputSchema, input);
  if (!parsed.ok) return parsed;
  const { id, name = null, registeredAt = now } = parsed.value;
  if (registeredAt > now) {
    return err(
      connectsError('validation_failed', 'A registration cannot lie in the future.', { registeredAt, now }),
    );
  }
  const existing = await findFreelancer(ctx.store, id);
  if (existing !== undefined) return replay(ctx, existing, parsed.value, now);

  const { ops, cycle } = registrationOps(ctx, registeredAt);
  try {
    const created = await ctx.store.transaction(async (tx) => {
      const values = [id, name, registeredAt, anchorDay(registeredAt), cycle.end];
      const row = (await tx.query<FreelancerRow>(insertSql, values)).rows[0];
      if (row === undefined) return undefined; // a concurrent twin registered it first
      const { entries, balance } = await grantRegistration(tx, id, ops, now);
      return { freelancer: freelancerFromRow(row), firstCycle: cycle, entries, balance, replayed: false };
    });
    if (created !== undefined) return ok(created);
  } catch (error) {
    if (error instanceof ConnectsFailure) return err(error.toError());
    throw error;
  }
  const twin = await findFreelancer(ctx.store, id);
  if (twin === undefined) throw new Error(`freelancer ${id} vanished after a conflicting insert`);
  return replay(ctx, twin, parsed.value, now);
}

async function replay(
  ctx: AppContext,
  existing: Freelancer,
  request: { id: string; name?: string | undefined; registeredAt?: Instant | undefined },
  now: Instant,
): Promise<Result<RegisterFreelancerOutput>> {
  const sameName = (request.name ?? null) === existing.name;
  const sameTime = request.registeredAt === undefined || request.registeredAt === existing.registeredAt;
  if (!sameName || !sameTime) {
    return err(
      connectsError(
        'freelancer_exists',
        `Freelancer ${existing.id} is already registered with other details.`,
        {
          freelancerId: existing.id,
        },
      ),
    );
  }
  const { ops, cycle } = registrationOps(ctx, existing.registeredAt);
  try {
    const stored = await ctx.store.transaction((tx) => grantRegistration(tx, existing.id, ops, now));
    const { entries, balance } = stored;
    return ok({ freelancer: existing, firstCycle: cycle, entries, balance, replayed: true });
  } catch (error) {
    // A timeline changed since registration makes the stored grants differ: idempotency_conflict.
    if (error instanceof ConnectsFailure) return err(error.toError());
    throw error;
  }
}
