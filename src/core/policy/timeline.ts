import { assert, connectsError, err, ok, type Result } from '../errors.ts';
import { parseInstant, toIso, type Instant } from '../time.ts';
import { eras } from './eras.ts';
import { parsePolicy, type Policy } from './schema.ts';

/**
 * The policies of a deployment with their effective dates (rules.md 6). Every
 * event is judged by the policy in force at its time; a lot keeps the expiry
 * stamped at issue whatever comes later.
 */
export interface PolicyTimeline {
  /** Validated, strictly ascending by effectiveFrom, ids distinct. */
  readonly policies: readonly Policy[];
  /** effectiveFrom of each policy as an instant, same order. */
  readonly starts: readonly Instant[];
}

/** Bounds the work of validating and searching a timeline. */
export const MAX_TIMELINE_POLICIES = 100;

const invalid = (message: string, details: Record<string, unknown>): Result<PolicyTimeline> =>
  err(connectsError('validation_failed', message, details));

/** Validates each policy and the order; unsorted input is refused, not silently sorted. */
export function createTimeline(policies: readonly unknown[]): Result<PolicyTimeline> {
  if (policies.length === 0) return invalid('A policy timeline needs at least one policy.', {});
  if (policies.length > MAX_TIMELINE_POLICIES) {
    return invalid(`A policy timeline holds at most ${MAX_TIMELINE_POLICIES} policies.`, {
      count: policies.length,
    });
  }
  const parsed: Policy[] = [];
  const starts: Instant[] = [];
  for (const [index, input] of policies.entries()) {
    const result = parsePolicy(input);
    if (!result.ok)
      return invalid(`Policy ${index}: ${result.error.message}`, { index, ...result.error.details });
    const policy = result.value;
    const start = parseInstant(policy.effectiveFrom) as Instant; // the schema checked it parses
    const previous = starts[starts.length - 1];
    if (previous !== undefined && start <= previous) {
      return invalid('Policies must be in strictly ascending order of effectiveFrom.', {
        index,
        effectiveFrom: policy.effectiveFrom,
      });
    }
    if (parsed.some((p) => p.id === policy.id)) {
      return invalid(`Policy id ${policy.id} appears twice.`, { index, id: policy.id });
    }
    parsed.push(policy);
    starts.push(start);
  }
  return ok(Object.freeze({ policies: Object.freeze(parsed), starts: Object.freeze(starts) }));
}

function indexAt(timeline: PolicyTimeline, t: Instant): number {
  // Binary search for the last start <= t; before the first start, the first policy.
  let lo = 0;
  let hi = timeline.starts.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((timeline.starts[mid] as Instant) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The policy in force at t: the last whose effectiveFrom <= t, or the first one before it. */
export function policyAt(timeline: PolicyTimeline, t: Instant): Policy {
  return timeline.policies[indexAt(timeline, t)] as Policy;
}

/** When the policy in force after t changes next, or null if it never does. */
export function nextPolicyChangeAfter(timeline: PolicyTimeline, t: Instant): Instant | null {
  return timeline.starts.find((start) => start > t) ?? null;
}

export function policyById(timeline: PolicyTimeline, id: string): Policy | undefined {
  return timeline.policies.find((p) => p.id === id);
}

function buildDefault(): PolicyTimeline {
  const result = createTimeline(eras);
  assert(result.ok, 'the built-in eras must form a valid timeline');
  return result.value;
}

/** The shipped eras: legacy, 2019, 2021 and the 2023 default. */
export const defaultTimeline: PolicyTimeline = buildDefault();

/** Where a policy stands at an instant: already replaced, in force, or still to come. */
export type PolicyState = 'past' | 'in_force' | 'scheduled';

/** The state of the policy at `index` of the timeline at `now`. */
export function policyStateAt(timeline: PolicyTimeline, index: number, now: Instant): PolicyState {
  const start = timeline.starts[index];
  assert(start !== undefined, 'policy index within the timeline');
  if (start > now) return 'scheduled';
  return indexAt(timeline, now) === index ? 'in_force' : 'past';
}

const fieldProblem = (path: string, message: string, details: Record<string, unknown> = {}) =>
  err<PolicyTimeline>(
    connectsError('validation_failed', `Invalid policy: ${path}: ${message}`, {
      issues: [{ path, message }],
      ...details,
    }),
  );

/**
 * The timeline with `input` scheduled (rules.md 6): validated like any policy,
 * effective at or after `now`, never touching a policy already in force or
 * past. A scheduled policy with the same id is replaced by it (the caller
 * decides whether a different body under a known id is a conflict). Pure: the
 * service's "schedule" and the simulator's "baseline + candidate" both use it.
 */
export function withScheduled(
  timeline: PolicyTimeline,
  input: unknown,
  now: Instant,
): Result<PolicyTimeline> {
  const parsed = parsePolicy(input);
  if (!parsed.ok) return err(parsed.error);
  const policy = parsed.value;
  const start = parseInstant(policy.effectiveFrom) as Instant;
  const existing = timeline.policies.findIndex((p) => p.id === policy.id);
  if (existing >= 0 && (timeline.starts[existing] as Instant) <= now) {
    return err(
      connectsError('policy_in_force', `Policy ${policy.id} is in force or past; it cannot change.`, {
        id: policy.id,
        state: policyStateAt(timeline, existing, now),
      }),
    );
  }
  if (start < now) {
    return fieldProblem('effectiveFrom', `must be at or after the service's current time ${toIso(now)}`, {
      now: toIso(now),
    });
  }
  const kept = timeline.policies.filter((p) => p.id !== policy.id);
  if (kept.some((p) => p.effectiveFrom === policy.effectiveFrom || parseInstant(p.effectiveFrom) === start)) {
    return fieldProblem('effectiveFrom', 'another policy of the timeline starts at this instant');
  }
  if (kept.length + 1 > MAX_TIMELINE_POLICIES) {
    return err(
      connectsError(
        'validation_failed',
        `A policy timeline holds at most ${MAX_TIMELINE_POLICIES} policies.`,
        { issues: [{ path: '', message: `the timeline is full (${MAX_TIMELINE_POLICIES} policies)` }] },
      ),
    );
  }
  const merged = [...kept, policy].sort(
    (a, b) => (parseInstant(a.effectiveFrom) as Instant) - (parseInstant(b.effectiveFrom) as Instant),
  );
  return createTimeline(merged);
}

/** The timeline without the scheduled policy `id`; a policy in force or past cannot be withdrawn. */
export function withoutScheduled(timeline: PolicyTimeline, id: string, now: Instant): Result<PolicyTimeline> {
  const index = timeline.policies.findIndex((p) => p.id === id);
  if (index < 0) return err(connectsError('policy_not_found', `No policy with id ${id}.`, { id }));
  if ((timeline.starts[index] as Instant) <= now) {
    return err(
      connectsError('policy_in_force', `Policy ${id} is in force or past; it cannot be withdrawn.`, {
        id,
        state: policyStateAt(timeline, index, now),
      }),
    );
  }
  return createTimeline(timeline.policies.filter((p) => p.id !== id));
}
