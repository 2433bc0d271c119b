import { assert } from '../../core/errors.ts';
import { defaultTimeline, type PolicyTimeline } from '../../core/policy/timeline.ts';
import { parseInstant, type Instant } from '../../core/time.ts';
import type { Entry, Lot } from '../../core/types.ts';
import type { LedgerStore } from '../../store/store.ts';
import { TestPaymentProvider } from '../payments/test-provider.ts';
import type { AppContext, TickHooks } from '../context.ts';

/** Test helpers for the accounts, plans and scheduler areas: a real store, fixed instants. */

/** An instant from ISO text, e.g. at('2026-01-31T10:00:00Z'). */
export function at(text: string): Instant {
  const t = parseInstant(text);
  assert(t !== undefined, `bad test instant ${text}`);
  return t;
}

export interface TestContext extends AppContext {
  readonly payments: TestPaymentProvider;
}

export function testContext(
  store: LedgerStore,
  options: { timeline?: PolicyTimeline; hooks?: TickHooks } = {},
): TestContext {
  return {
    store,
    timeline: options.timeline ?? defaultTimeline,
    payments: new TestPaymentProvider(),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
  };
}

let counter = 0;
/** A fresh freelancer id, so tests sharing one database never see each other's rows. */
export function freshId(prefix = 'fl'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Every entry of an account, oldest first. */
export async function allEntries(store: LedgerStore, account: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const result = await store.entries(account, { order: 'asc', limit: 500, ...(cursor ? { cursor } : {}) });
    assert(result.ok, 'entries query failed');
    entries.push(...result.value.entries);
    if (result.value.nextCursor === null) return entries;
    cursor = result.value.nextCursor;
  }
  throw new Error('too many entries for a test');
}

/** Lots as compact tuples: [source, amount, remaining, issuedAt ISO, expiresAt ISO]. */
export function lotTuples(lots: readonly Lot[]): [string, number, number, string, string][] {
  return lots.map((lot) => [
    lot.source,
    lot.amount,
    lot.remaining,
    new Date(lot.issuedAt).toISOString(),
    new Date(lot.expiresAt).toISOString(),
  ]);
}
