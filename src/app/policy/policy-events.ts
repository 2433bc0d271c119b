import type { Policy } from '../../core/policy/schema.ts';
import { parseInstant, type Instant } from '../../core/time.ts';
import type { EventsQueryable } from '../../events/types.ts';

/**
 * Policy events are the deployment's, not an account's: their outbox rows
 * carry this empty account (no freelancer id can be empty), so webhook
 * fan-out and delivery treat them like any other event.
 */
export const POLICY_EVENT_ACCOUNT = '';

export type PolicyEventType = 'policy.scheduled' | 'policy.withdrawn';

/** Writes a policy.scheduled or policy.withdrawn event inside the caller's transaction. */
export async function writePolicyEvent(
  tx: EventsQueryable,
  type: PolicyEventType,
  policy: Policy,
  extra: { readonly note: string | null; readonly actor: string; readonly replaced?: boolean },
  now: Instant,
): Promise<void> {
  await tx.query(
    `INSERT INTO event_outbox (account, type, occurred_at, data) VALUES ($1, $2, $3, $4::jsonb)`,
    [
      POLICY_EVENT_ACCOUNT,
      type,
      now,
      JSON.stringify({
        policyId: policy.id,
        name: policy.name,
        effectiveFrom: parseInstant(policy.effectiveFrom) ?? null,
        note: extra.note,
        actor: extra.actor,
        ...(extra.replaced === undefined ? {} : { replaced: extra.replaced }),
      }),
    ],
  );
}

/** Most policy.effective events one call writes. */
export const MAX_ANNOUNCED_PER_CALL = 100;

/**
 * Writes policy.effective for each policy whose effectiveFrom is at or before
 * `now` and that has none yet, stamped at its effectiveFrom. Exactly once even
 * with several processes: the UPDATE that marks a policy announced and the
 * event are one statement, and a second process's UPDATE finds it marked.
 */
export async function announceEffectivePolicies(
  db: EventsQueryable,
  now: Instant,
  limit: number,
): Promise<number> {
  const capped = Math.max(1, Math.min(MAX_ANNOUNCED_PER_CALL, Math.trunc(limit)));
  const rows = await db.query<{ n: number }>(
    `WITH due AS (
       SELECT id FROM policies
       WHERE announced_at IS NULL AND effective_from <= $1::int8
       ORDER BY effective_from LIMIT $2
     ), marked AS (
       UPDATE policies p SET announced_at = $1::int8
       FROM due WHERE p.id = due.id AND p.announced_at IS NULL
       RETURNING p.id, p.effective_from, p.body->>'name' AS name
     ), written AS (
       INSERT INTO event_outbox (account, type, occurred_at, data)
       SELECT $3, 'policy.effective', m.effective_from,
         jsonb_build_object('policyId', m.id, 'name', m.name, 'effectiveFrom', m.effective_from)
       FROM marked m ORDER BY m.effective_from
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM written`,
    [now, capped, POLICY_EVENT_ACCOUNT],
  );
  return rows.rows[0]?.n ?? 0;
}
