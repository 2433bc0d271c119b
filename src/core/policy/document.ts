import { connectsError, err, ok, type Result } from '../errors.ts';
import { MAX_TIMELINE_POLICIES, withScheduled, type PolicyTimeline } from './timeline.ts';
import type { Instant } from '../time.ts';
import { parsePolicy, type Policy } from './schema.ts';

/** One problem of a policy document: the field path (`0.rateCard.tiers.1.belowBudgetCents` in a list) and why. */
export interface PolicyProblem {
  readonly path: string;
  readonly message: string;
}

const problemsOf = (
  details: Readonly<Record<string, unknown>> | undefined,
  message: string,
): PolicyProblem[] => {
  const issues = details?.['issues'];
  return Array.isArray(issues) && issues.length > 0
    ? issues.map((i: { path: string; message: string }) => ({ path: i.path, message: i.message }))
    : [{ path: '', message }];
};

const prefixed = (prefix: string, path: string): string =>
  prefix === '' ? path : path === '' ? prefix : `${prefix}.${path}`;

const invalid = (problems: PolicyProblem[]): Result<never> => {
  const shown = problems.map((p) => `${p.path || '(document)'}: ${p.message}`).join('\n  ');
  return err(
    connectsError('validation_failed', `Invalid policy document:\n  ${shown}`, { issues: problems }),
  );
};

/**
 * A policy file holds one policy or a list of them (CONNECTS_POLICY_FILE,
 * `connects policy validate|diff|schedule`). Every problem of every policy is
 * reported with its field path, a list's prefixed by the policy's index.
 */
export function parsePolicyDocument(document: unknown): Result<Policy[]> {
  const list = Array.isArray(document);
  const items: readonly unknown[] = list ? document : [document];
  if (items.length === 0) return invalid([{ path: '', message: 'the list holds no policy' }]);
  if (items.length > MAX_TIMELINE_POLICIES) {
    return invalid([{ path: '', message: `a list holds at most ${MAX_TIMELINE_POLICIES} policies` }]);
  }
  const problems: PolicyProblem[] = [];
  const policies: Policy[] = [];
  items.forEach((item, index) => {
    const parsed = parsePolicy(item);
    if (parsed.ok) policies.push(parsed.value);
    else {
      const prefix = list ? String(index) : '';
      for (const p of problemsOf(parsed.error.details, parsed.error.message)) {
        problems.push({ path: prefixed(prefix, p.path), message: p.message });
      }
    }
  });
  return problems.length > 0 ? invalid(problems) : ok(policies);
}

/**
 * The timeline with every policy of the document scheduled (each as
 * `withScheduled` would), skipping those already stored identically. All or
 * nothing: the first refusal is returned with its path in the document.
 */
export function withDocument(
  timeline: PolicyTimeline,
  policies: readonly Policy[],
  now: Instant,
  listed: boolean,
): Result<{ timeline: PolicyTimeline; added: Policy[] }> {
  let current = timeline;
  const added: Policy[] = [];
  for (const [index, policy] of policies.entries()) {
    const stored = current.policies.find((p) => p.id === policy.id);
    if (stored !== undefined && JSON.stringify(stored) === JSON.stringify(policy)) continue;
    const next = withScheduled(current, policy, now);
    if (!next.ok) {
      if (next.error.code !== 'validation_failed') return err(next.error);
      const prefix = listed ? String(index) : '';
      return invalid(
        problemsOf(next.error.details, next.error.message).map((p) => ({
          path: prefixed(prefix, p.path),
          message: p.message,
        })),
      );
    }
    current = next.value;
    added.push(policy);
  }
  return ok({ timeline: current, added });
}
