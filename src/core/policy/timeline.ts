import { assert, connectsError, err, ok, type Result } from '../errors.ts';
import { parseInstant, type Instant } from '../time.ts';
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
