import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarYears } from '../../core/calendar.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { addFreelancer, testContext } from '../purchases/test-kit.ts';
import { adjustConnects, type AdjustConnectsInput } from './adjust-connects.ts';

const NOW = Date.UTC(2026, 2, 10, 12);
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe.each(testEngines)('admin adjustments on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  it('grants an admin lot with the policy lifetime and the reason on the entry', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const input = { freelancerId: fl, connects: 15, reason: 'support ticket 42', idempotencyKey: 'k-1' };
    const granted = await adjustConnects(ctx, input, NOW);
    const expiresAt = addCalendarYears(NOW, 1);
    expect(granted).toMatchObject({
      ok: true,
      value: {
        connects: 15,
        replayed: false,
        balance: { balance: 15 },
        entry: {
          type: 'adjustment',
          amount: 15,
          reason: 'support ticket 42',
          ref: 'admin:k-1',
          lot: { expiresAt },
        },
      },
    });
    expect(await store.lots(fl)).toMatchObject([
      { source: 'admin', category: 'free', amount: 15, expiresAt },
    ]);
  });

  it('grants with an explicit expiry, and refuses one in the past', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const base = { freelancerId: fl, connects: 5, reason: 'goodwill' };
    const r = await adjustConnects(ctx, { ...base, expiresAt: '2026-06-01', idempotencyKey: 'a' }, NOW);
    expect(r.ok && r.value.entry.lot?.expiresAt).toBe(Date.UTC(2026, 5, 1));
    const past = await adjustConnects(ctx, { ...base, expiresAt: '2026-03-10', idempotencyKey: 'b' }, NOW);
    expect(code(past)).toBe('validation_failed');
  });

  it('removes Connects with a negative adjustment, never below zero', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    await adjustConnects(ctx, { freelancerId: fl, connects: 10, reason: 'grant', idempotencyKey: 'g' }, NOW);
    const removed = await adjustConnects(
      ctx,
      { freelancerId: fl, connects: -4, reason: 'abuse', idempotencyKey: 'r' },
      NOW + 1,
    );
    expect(removed).toMatchObject({
      ok: true,
      value: {
        connects: -4,
        balance: { balance: 6 },
        entry: { type: 'adjustment', amount: 4, reason: 'abuse' },
      },
    });
    const tooMuch = await adjustConnects(
      ctx,
      { freelancerId: fl, connects: -7, reason: 'x', idempotencyKey: 'r2' },
      NOW + 2,
    );
    expect(tooMuch).toMatchObject({
      ok: false,
      error: { code: 'insufficient_connects', details: { needed: 7 } },
    });
    expect(await store.balance(fl, NOW + 3)).toMatchObject({ balance: 6 });
  });

  it('replays a retry with the same key, even later, and refuses another request under it', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const input = { freelancerId: fl, connects: 8, reason: 'refund of a bug', idempotencyKey: 'same' };
    const first = await adjustConnects(ctx, input, NOW);
    const again = await adjustConnects(ctx, input, NOW + 86_400_000);
    expect(again.ok && first.ok && again.value.entry).toEqual(first.ok && first.value.entry);
    expect(again.ok && again.value.replayed).toBe(true);
    expect(code(await adjustConnects(ctx, { ...input, connects: 9 }, NOW))).toBe('idempotency_conflict');
    expect(code(await adjustConnects(ctx, { ...input, reason: 'other' }, NOW))).toBe('idempotency_conflict');
    expect(await store.balance(fl, NOW + 1)).toMatchObject({ balance: 8 });
  });

  it('refuses an unknown freelancer and malformed requests', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const base = { freelancerId: fl, connects: 5, reason: 'r', idempotencyKey: 'k' };
    expect(code(await adjustConnects(ctx, { ...base, freelancerId: 'nobody' }, NOW))).toBe(
      'freelancer_not_found',
    );
    const bad: AdjustConnectsInput[] = [
      { ...base, connects: 0 },
      { ...base, connects: 1.5 },
      { ...base, connects: 1_000_001 },
      { ...base, reason: ' ' },
      { ...base, reason: 'x'.repeat(201) },
      { ...base, idempotencyKey: '' },
      { ...base, idempotencyKey: 'x'.repeat(201) },
      { ...base, idempotencyKey: 'clé' },
      { ...base, connects: -5, expiresAt: '2027-01-01' },
    ];
    for (const input of bad) expect(code(await adjustConnects(ctx, input, NOW))).toBe('validation_failed');
    expect(await store.lots(fl)).toEqual([]);
  });
});
