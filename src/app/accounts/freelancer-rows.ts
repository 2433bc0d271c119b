import { registrationAnchor, type CycleAnchor } from '../../core/calendar.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { planNames, type PlanName } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';

/** A freelancer as the accounts area keeps it (table `freelancers`, migration 020). */
export interface Freelancer {
  readonly id: string;
  readonly name: string | null;
  readonly registeredAt: Instant;
  readonly anchorDay: number;
  readonly plan: PlanName;
  /** A downgrade that takes effect at the next renewal. */
  readonly pendingPlan: PlanName | null;
  readonly pendingSince: Instant | null;
  /** Card token charged at Plus renewals. */
  readonly card: string | null;
  /** Index of the last cycle whose allotment was issued (0 is the registration cycle). */
  readonly lastAllottedCycle: number;
  /** Start of cycle lastAllottedCycle + 1. */
  readonly nextCycleAt: Instant;
  readonly planEvents: number;
  /** Where billing cycles are counted from: registration, or an upgrade that restarted the cycle. */
  readonly cycleAnchor: CycleAnchor;
}

export interface FreelancerRow {
  id: string;
  name: string | null;
  registered_at: number;
  anchor_day: number;
  plan: string;
  pending_plan: string | null;
  pending_since: number | null;
  card: string | null;
  last_allotted_cycle: number;
  next_cycle_at: number;
  plan_events: number;
  cycle_anchor_at: number | null;
  cycle_anchor_index: number | null;
}

export const freelancerColumns =
  'id, name, registered_at, anchor_day, plan, pending_plan, pending_since, card, last_allotted_cycle, ' +
  'next_cycle_at, plan_events, cycle_anchor_at, cycle_anchor_index';

function toPlan(value: string, id: string): PlanName {
  const plan = planNames.find((name) => name === value);
  if (plan === undefined) throw new Error(`freelancer ${id} has unknown plan ${value}`);
  return plan;
}

export function freelancerFromRow(row: FreelancerRow): Freelancer {
  return {
    id: row.id,
    name: row.name,
    registeredAt: row.registered_at,
    anchorDay: row.anchor_day,
    plan: toPlan(row.plan, row.id),
    pendingPlan: row.pending_plan === null ? null : toPlan(row.pending_plan, row.id),
    pendingSince: row.pending_since,
    card: row.card,
    lastAllottedCycle: row.last_allotted_cycle,
    nextCycleAt: row.next_cycle_at,
    planEvents: row.plan_events,
    cycleAnchor:
      row.cycle_anchor_at === null || row.cycle_anchor_index === null
        ? registrationAnchor(row.registered_at)
        : { at: Number(row.cycle_anchor_at), index: row.cycle_anchor_index, restarted: true },
  };
}

type Queryable = Pick<StoreTx, 'query'>;

/**
 * Reads a freelancer. Other areas use this lookup for the plan and the
 * registration instant (which anchors end_of_cycle lifetimes).
 */
export async function findFreelancer(db: Queryable, id: string): Promise<Freelancer | undefined> {
  const rows = await db.query<FreelancerRow>(`SELECT ${freelancerColumns} FROM freelancers WHERE id = $1`, [
    id,
  ]);
  const row = rows.rows[0];
  return row === undefined ? undefined : freelancerFromRow(row);
}

/** Locks the freelancer's row for the rest of the transaction (plan and cycle changes serialise on it). */
export async function lockFreelancer(
  tx: Queryable,
  id: string,
  mode: 'wait' | 'skip' = 'wait',
): Promise<Freelancer | undefined> {
  const skip = mode === 'skip' ? ' SKIP LOCKED' : '';
  const rows = await tx.query<FreelancerRow>(
    `SELECT ${freelancerColumns} FROM freelancers WHERE id = $1 FOR UPDATE${skip}`,
    [id],
  );
  const row = rows.rows[0];
  return row === undefined ? undefined : freelancerFromRow(row);
}

export function notFound(id: string): Result<never> {
  return err(
    connectsError('freelancer_not_found', `No freelancer ${id} is registered.`, { freelancerId: id }),
  );
}

export async function requireFreelancer(db: Queryable, id: string): Promise<Result<Freelancer>> {
  const found = await findFreelancer(db, id);
  return found === undefined ? notFound(id) : ok(found);
}
