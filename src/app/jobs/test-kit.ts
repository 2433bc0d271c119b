import { expect } from 'vitest';
import type { Result } from '../../core/errors.ts';
import type { PlanName } from '../../core/policy/schema.ts';
import { defaultPolicy } from '../../core/policy/eras.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { createTimeline, defaultTimeline, type PolicyTimeline } from '../../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import type { LedgerStore } from '../../store/store.ts';
import { freshAccount } from '../../store/testing/fixtures.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import type { AppContext } from '../context.ts';
import { TestPaymentProvider } from '../payments/test-provider.ts';

/** Monday 2026-01-05 09:00 UTC: the fixed clock of the jobs tests (policy era 2023). */
export const T0: Instant = Date.UTC(2026, 0, 5, 9);
export const DAY = MS_PER_DAY;

export function jobsContext(store: LedgerStore, timeline: PolicyTimeline = defaultTimeline): AppContext {
  return { store, timeline, payments: new TestPaymentProvider() };
}

/** A one-policy timeline: the default policy with some settings changed. */
export function timelineWith(change: (policy: Policy) => Policy): PolicyTimeline {
  const timeline = createTimeline([change(defaultPolicy)]);
  if (!timeline.ok) throw new Error(timeline.error.message);
  return timeline.value;
}

/**
 * A freelancer registered through the accounts area 400 days before T0, so
 * the registration's signup and allotment lots have expired by T0 and every
 * test controls the balance it starts from with `fund`. Plus members are set
 * on the row directly: these tests are about what the plan unlocks, not how
 * it is bought.
 */
export async function addFreelancer(
  store: LedgerStore,
  plan: PlanName = 'basic',
  prefix = 'fl',
): Promise<string> {
  const id = freshAccount(prefix);
  const registeredAt = T0 - 400 * DAY;
  value(await registerFreelancer(jobsContext(store), { id }, registeredAt));
  if (plan !== 'basic') await store.query('UPDATE freelancers SET plan = $2 WHERE id = $1', [id, plan]);
  return id;
}

/** Credits a freelancer with a purchased lot (the ledger directly: these tests are about spending). */
export async function fund(
  store: LedgerStore,
  freelancerId: string,
  connects: number,
  now: Instant,
  expiresAt: Instant = now + 365 * DAY,
): Promise<void> {
  const granted = await store.execute({
    account: freelancerId,
    op: { kind: 'grant', amount: connects, source: 'purchase', category: 'paid', expiresAt },
    now,
  });
  expect(granted.ok).toBe(true);
}

/** The value of an ok result; fails the test with the error otherwise. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error code of a result, or 'ok'. */
export const code = (result: Result<unknown>): string => (result.ok ? 'ok' : result.error.code);

let jobCounter = 0;
/** A fresh job id, so tests sharing one database never collide. */
export function freshId(prefix: string): string {
  jobCounter += 1;
  return `${prefix}-${process.pid}-${jobCounter}-${Math.random().toString(36).slice(2, 8)}`;
}
