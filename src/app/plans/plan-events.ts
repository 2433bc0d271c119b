import type { PlanName } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import type { Freelancer } from '../accounts/freelancer-rows.ts';

export type PlanEventKind =
  'upgraded' | 'downgrade_requested' | 'downgrade_cancelled' | 'downgraded' | 'renewed' | 'payment_failed';

/** One line of a freelancer's plan history (table plan_events). */
export interface PlanEvent {
  readonly eventNo: number;
  readonly kind: PlanEventKind;
  readonly occurredAt: Instant;
  readonly cycleIndex: number;
  /** The plan after the event. */
  readonly plan: PlanName;
  readonly amountCents: number | null;
  readonly chargeId: string | null;
  /** Prorated Connects an upgrade granted. */
  readonly connects: number | null;
  readonly reason: string | null;
}

export type NewPlanEvent = Omit<PlanEvent, 'eventNo' | 'amountCents' | 'chargeId' | 'connects' | 'reason'> &
  Partial<Pick<PlanEvent, 'amountCents' | 'chargeId' | 'connects' | 'reason'>>;

interface PlanEventRow {
  event_no: number;
  kind: PlanEventKind;
  occurred_at: number;
  cycle_index: number;
  plan: PlanName;
  amount_cents: number | null;
  charge_id: string | null;
  connects: number | null;
  reason: string | null;
}

const columns = 'event_no, kind, occurred_at, cycle_index, plan, amount_cents, charge_id, connects, reason';

function fromRow(row: PlanEventRow): PlanEvent {
  return {
    eventNo: row.event_no,
    kind: row.kind,
    occurredAt: row.occurred_at,
    cycleIndex: row.cycle_index,
    plan: row.plan,
    amountCents: row.amount_cents,
    chargeId: row.charge_id,
    connects: row.connects,
    reason: row.reason,
  };
}

/**
 * Appends events to a freelancer's plan history. The caller holds the
 * freelancer's row lock (taken with `lockFreelancer`), so event numbers
 * follow on from the row's count without gaps or clashes.
 */
export async function appendPlanEvents(
  tx: Pick<StoreTx, 'query'>,
  freelancer: Freelancer,
  events: readonly NewPlanEvent[],
): Promise<PlanEvent[]> {
  const written: PlanEvent[] = [];
  for (const [i, event] of events.entries()) {
    const row = {
      eventNo: freelancer.planEvents + i + 1,
      amountCents: null,
      chargeId: null,
      connects: null,
      reason: null,
      ...event,
    };
    await tx.query(
      `INSERT INTO plan_events (freelancer_id, ${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        freelancer.id,
        row.eventNo,
        row.kind,
        row.occurredAt,
        row.cycleIndex,
        row.plan,
        row.amountCents,
        row.chargeId,
        row.connects,
        row.reason,
      ],
    );
    written.push(row);
  }
  if (written.length > 0) {
    await tx.query('UPDATE freelancers SET plan_events = plan_events + $2 WHERE id = $1', [
      freelancer.id,
      written.length,
    ]);
  }
  return written;
}

/** The freelancer's plan history, newest first, at most `limit` events. */
export async function listPlanEvents(
  db: Pick<StoreTx, 'query'>,
  freelancerId: string,
  limit: number,
): Promise<PlanEvent[]> {
  const rows = await db.query<PlanEventRow>(
    `SELECT ${columns} FROM plan_events WHERE freelancer_id = $1 ORDER BY event_no DESC LIMIT $2`,
    [freelancerId, Math.max(1, Math.min(500, Math.trunc(limit)))],
  );
  return rows.rows.map(fromRow);
}

/** The event of one kind in one cycle (upgrades, renewals and failures happen at most once per cycle). */
export async function findCycleEvent(
  db: Pick<StoreTx, 'query'>,
  freelancerId: string,
  cycleIndex: number,
  kind: PlanEventKind,
): Promise<PlanEvent | undefined> {
  const rows = await db.query<PlanEventRow>(
    `SELECT ${columns} FROM plan_events WHERE freelancer_id = $1 AND cycle_index = $2 AND kind = $3`,
    [freelancerId, cycleIndex, kind],
  );
  const row = rows.rows[0];
  return row === undefined ? undefined : fromRow(row);
}
