import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { ok, type Result } from '../../core/errors.ts';
import type { PlanName } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';

export const MAX_FREELANCERS_PAGE = 200;

export const listFreelancersInputSchema = z.strictObject({
  /** Only ids starting with this text (case-sensitive). */
  prefix: idSchema.optional(),
  limit: z.int().min(1).max(MAX_FREELANCERS_PAGE).optional(),
  /** `nextCursor` of the previous page: the last id it returned. */
  cursor: idSchema.optional(),
});
export type ListFreelancersInput = z.input<typeof listFreelancersInputSchema>;

export interface FreelancerSummary {
  readonly id: string;
  readonly name: string | null;
  readonly registeredAt: Instant;
  readonly plan: PlanName;
  readonly pendingPlan: PlanName | null;
  readonly nextCycleAt: Instant;
  /** At now: spendable Connects, and Connects in active holds. */
  readonly available: number;
  readonly held: number;
}

export interface FreelancerPage {
  /** By id. */
  readonly freelancers: readonly FreelancerSummary[];
  readonly nextCursor: string | null;
}

interface Row {
  id: string;
  name: string | null;
  registered_at: number;
  plan: PlanName;
  pending_plan: PlanName | null;
  next_cycle_at: number;
  available: number;
  held: number;
}

/** LIKE treats _ and % as wildcards; ids may contain _, so it is escaped. */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * The operator console's list of freelancers, by id, a bounded page at a
 * time, each with its balance at now (lazy expiry: lots spendable at now),
 * read in the same statement so a page costs one round trip.
 */
export async function listFreelancers(
  ctx: AppContext,
  input: ListFreelancersInput,
  now: Instant,
): Promise<Result<FreelancerPage>> {
  const parsed = parseInput(listFreelancersInputSchema, input);
  if (!parsed.ok) return parsed;
  const { prefix, cursor } = parsed.value;
  const limit = parsed.value.limit ?? 50;
  const rows = await ctx.store.query<Row>(
    `SELECT f.id, f.name, f.registered_at, f.plan, f.pending_plan, f.next_cycle_at,
       (SELECT coalesce(sum(l.remaining), 0)::int8 FROM lots l
         WHERE l.account = f.id AND l.remaining > 0 AND l.issued_at <= $3 AND l.expires_at > $3) AS available,
       (SELECT coalesce(sum(h.amount), 0)::int8 FROM holds h
         WHERE h.account = f.id AND h.status = 'active') AS held
     FROM freelancers f
     WHERE ($1::text IS NULL OR f.id > $1) AND ($2::text IS NULL OR f.id LIKE $2)
     ORDER BY f.id LIMIT $4`,
    [cursor ?? null, prefix === undefined ? null : likePrefix(prefix), now, limit + 1],
  );
  const freelancers = rows.rows.slice(0, limit).map((r): FreelancerSummary => ({
    id: r.id,
    name: r.name,
    registeredAt: r.registered_at,
    plan: r.plan,
    pendingPlan: r.pending_plan,
    nextCycleAt: r.next_cycle_at,
    available: Number(r.available),
    held: Number(r.held),
  }));
  const last = freelancers[freelancers.length - 1];
  return ok({ freelancers, nextCursor: rows.rows.length > limit && last !== undefined ? last.id : null });
}
