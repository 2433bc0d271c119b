import { connectsError, err, type Result } from '../core/errors.ts';
import { parseInstant } from '../core/time.ts';
import { createTimeline, MAX_TIMELINE_POLICIES, type PolicyTimeline } from '../core/policy/timeline.ts';

/**
 * The candidate timeline: the baseline as it stands, with the candidate
 * policies scheduled at their effectiveFrom. Baseline policies starting at or
 * after the first candidate give way to it (a scheduled policy that the
 * candidate would replace). A candidate is one policy document or a list in
 * ascending effectiveFrom; each is validated with the policy schema, and a
 * problem is reported with its field path (`candidate.1.rateCard.tiers.0`).
 */
export function candidateTimeline(baseline: PolicyTimeline, candidate: unknown): Result<PolicyTimeline> {
  const list: unknown[] = Array.isArray(candidate) ? candidate : [candidate];
  if (list.length === 0 || list.length > MAX_TIMELINE_POLICIES) {
    return err(
      connectsError('validation_failed', `A candidate is 1 to ${MAX_TIMELINE_POLICIES} policies.`, {
        issues: [{ path: 'candidate', message: `must hold 1 to ${MAX_TIMELINE_POLICIES} policies` }],
      }),
    );
  }
  const first = list[0] as { effectiveFrom?: unknown } | undefined;
  const from = typeof first?.effectiveFrom === 'string' ? parseInstant(first.effectiveFrom) : undefined;
  const kept = baseline.policies.filter(
    (_, i) => from === undefined || (baseline.starts[i] as number) < from,
  );
  const candidateIds = new Set(list.map((p) => (p as { id?: unknown } | null)?.id));
  // A candidate may reuse the id of a baseline policy it replaces; an id still in force must differ.
  const base = kept.filter((p) => !candidateIds.has(p.id));
  const built = createTimeline([...base, ...list]);
  if (built.ok) return built;
  const details = built.error.details ?? {};
  const index = typeof details['index'] === 'number' ? details['index'] - base.length : undefined;
  const prefix = Array.isArray(candidate) && index !== undefined ? `candidate.${index}` : 'candidate';
  const inner = Array.isArray(details['issues'])
    ? (details['issues'] as { path: string; message: string }[])
    : [{ path: '', message: built.error.message }];
  const issues = inner.map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message }));
  return err(connectsError('validation_failed', `Invalid candidate: ${built.error.message}`, { issues }));
}
