import { assert } from '../../core/errors.ts';
import { eras } from '../../core/policy/eras.ts';
import { parsePolicy, type Policy } from '../../core/policy/schema.ts';
import {
  createTimeline,
  defaultTimeline,
  policyStateAt,
  type PolicyState,
  type PolicyTimeline,
} from '../../core/policy/timeline.ts';
import { parseInstant, type Instant } from '../../core/time.ts';
import type { EventsDb, EventsQueryable } from '../../events/types.ts';

/**
 * The policy timeline as the store keeps it (migration 073): one row per
 * policy, and a version bumped by every change so each process knows when to
 * reload. The rows were validated when written; reading them validates again
 * (createTimeline), so a hand-edited table fails loudly instead of pricing
 * proposals from a broken policy.
 */

/** `scheduled_by` of the eras seeded on first start. */
export const BUILT_IN_ACTOR = 'built-in';

export interface PolicyRecord {
  readonly policy: Policy;
  readonly note: string | null;
  /** Who scheduled it: 'built-in', the operator, or 'cli'. */
  readonly scheduledBy: string;
  readonly scheduledAt: Instant;
  /** When policy.effective was written for it; null before (and for a scheduled policy). */
  readonly announcedAt: Instant | null;
}

export interface StoredTimeline {
  readonly version: number;
  readonly timeline: PolicyTimeline;
  /** Same order as timeline.policies. */
  readonly records: readonly PolicyRecord[];
}

/** A record with its state at an instant: what the admin API lists. */
export interface PolicyView extends PolicyRecord {
  readonly state: PolicyState;
}

interface PolicyRow {
  id: string;
  body: unknown;
  note: string | null;
  scheduled_by: string;
  scheduled_at: number;
  announced_at: number | null;
}

const builtInRecords = (): PolicyRecord[] =>
  defaultTimeline.policies.map((policy) => ({
    policy,
    note: 'built-in era',
    scheduledBy: BUILT_IN_ACTOR,
    scheduledAt: 0,
    announcedAt: 0,
  }));

/** Reads the version alone: what the poll asks every few seconds. */
export async function readTimelineVersion(db: EventsQueryable): Promise<number> {
  const rows = await db.query<{ version: number | string }>('SELECT version FROM policy_timeline');
  return Number(rows.rows[0]?.version ?? 0);
}

/** Reads the whole timeline (inside a transaction after `lockTimeline`, a consistent one). */
export async function readStoredTimeline(db: EventsQueryable): Promise<StoredTimeline> {
  const version = await readTimelineVersion(db);
  const rows = await db.query<PolicyRow>(
    `SELECT id, body, note, scheduled_by, scheduled_at, announced_at
     FROM policies ORDER BY effective_from`,
  );
  // A store never seeded (a library user's, before any schedule) reads as the built-in eras.
  if (rows.rows.length === 0) return { version, timeline: defaultTimeline, records: builtInRecords() };
  const records = rows.rows.map((row): PolicyRecord => {
    const parsed = parsePolicy(typeof row.body === 'string' ? JSON.parse(row.body) : row.body);
    if (!parsed.ok) throw new Error(`stored policy ${row.id} is invalid: ${parsed.error.message}`);
    return {
      policy: parsed.value,
      note: row.note,
      scheduledBy: row.scheduled_by,
      scheduledAt: Number(row.scheduled_at),
      announcedAt: row.announced_at === null ? null : Number(row.announced_at),
    };
  });
  const timeline = createTimeline(records.map((r) => r.policy));
  if (!timeline.ok) throw new Error(`the stored policy timeline is invalid: ${timeline.error.message}`);
  return { version, timeline: timeline.value, records };
}

/** Takes the timeline's row lock: writers of the timeline run one after another. */
export async function lockTimeline(tx: EventsQueryable): Promise<void> {
  await tx.query('SELECT version FROM policy_timeline FOR UPDATE');
}

export async function bumpTimelineVersion(tx: EventsQueryable): Promise<void> {
  await tx.query('UPDATE policy_timeline SET version = version + 1');
}

export async function insertPolicyRow(
  tx: EventsQueryable,
  record: Omit<PolicyRecord, 'announcedAt'> & { readonly announcedAt?: Instant | null },
): Promise<void> {
  const { policy } = record;
  const effectiveFrom = parseInstant(policy.effectiveFrom);
  assert(effectiveFrom !== undefined, 'a validated policy has a valid effectiveFrom');
  await tx.query(
    `INSERT INTO policies (id, effective_from, body, note, scheduled_by, scheduled_at, announced_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)`,
    [
      policy.id,
      effectiveFrom,
      JSON.stringify(policy),
      record.note,
      record.scheduledBy,
      record.scheduledAt,
      record.announcedAt ?? null,
    ],
  );
}

/**
 * Seeds the built-in eras once, on the first start of a deployment (version
 * 0). Several processes starting together are serialised by the row lock;
 * the second finds the version moved and does nothing.
 */
export async function seedTimeline(db: EventsDb, now: Instant): Promise<boolean> {
  if ((await readTimelineVersion(db)) > 0) return false;
  return db.transaction(async (tx) => {
    await lockTimeline(tx);
    if ((await readTimelineVersion(tx)) > 0) return false;
    const timeline = createTimeline(eras);
    assert(timeline.ok, 'the built-in eras form a valid timeline');
    for (const policy of timeline.value.policies) {
      await insertPolicyRow(tx, {
        policy,
        note: 'built-in era',
        scheduledBy: BUILT_IN_ACTOR,
        scheduledAt: now,
        announcedAt: now,
      });
    }
    await bumpTimelineVersion(tx);
    return true;
  });
}

/** Each record with its state at `now`. */
export function viewsAt(stored: StoredTimeline, now: Instant): PolicyView[] {
  return stored.records.map((record, index) => ({
    ...record,
    state: policyStateAt(stored.timeline, index, now),
  }));
}

/** The canonical text of a policy: what "the same body" means for an idempotent schedule. */
export const canonicalPolicy = (policy: Policy): string => JSON.stringify(policy);
