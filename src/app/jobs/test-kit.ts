import { expect } from 'vitest';
import type { Result } from '../../core/errors.ts';
import type { PlanName } from '../../core/policy/schema.ts';
import { defaultTimeline, type PolicyTimeline } from '../../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import type { LedgerStore } from '../../store/store.ts';
import { freshAccount } from '../../store/testing/fixtures.ts';
import type { AppContext } from '../context.ts';
import { TestPaymentProvider } from '../payments/test-provider.ts';

/** Monday 2026-01-05 09:00 UTC: the fixed clock of the jobs tests (policy era 2023). */
export const T0: Instant = Date.UTC(2026, 0, 5, 9);
export const DAY = MS_PER_DAY;

export function jobsContext(store: LedgerStore, timeline: PolicyTimeline = defaultTimeline): AppContext {
  return { store, timeline, payments: new TestPaymentProvider() };
}

const tables = new WeakMap<LedgerStore, Promise<unknown>>();

/**
 * A registered freelancer. Until the accounts area's migration and register
 * use case land, the minimal `freelancers (id, plan)` table is made here.
 */
export async function addFreelancer(
  store: LedgerStore,
  plan: PlanName = 'basic',
  prefix = 'fl',
): Promise<string> {
  let ready = tables.get(store);
  if (ready === undefined) {
    ready = store.query('CREATE TABLE IF NOT EXISTS freelancers (id text PRIMARY KEY, plan text NOT NULL)');
    tables.set(store, ready);
  }
  await ready;
  const id = freshAccount(prefix);
  await store.query('INSERT INTO freelancers (id, plan) VALUES ($1, $2)', [id, plan]);
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
