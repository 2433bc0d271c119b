import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantOp, Operation } from '../../core/ledger/operations.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { verifyLedger } from '../../store/verify-ledger.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { addFreelancer, testContext } from '../purchases/test-kit.ts';
import { expireLot } from './expire-lot.ts';
import { extendLot } from './extend-lot.ts';
import type { LotCorrectionInput } from './lot-correction.ts';
import { voidLot } from './void-lot.ts';

const NOW = Date.UTC(2026, 2, 10, 12);
const DAY = 86_400_000;
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe.each(testEngines)('lot corrections on $name', (engine) => {
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

  const run = async (account: string, op: Operation, now = NOW) => {
    const r = await store.execute({ account, op, now });
    expect(r.ok).toBe(true);
  };
  const free = (amount: number): GrantOp => ({
    kind: 'grant',
    amount,
    source: 'promo',
    category: 'free',
    expiresAt: NOW + 90 * DAY,
  });

  /** A freelancer with lot 1 (free, 10), lot 2 (free, 6), lot 3 (paid, 8). */
  async function withLots(): Promise<string> {
    const fl = await addFreelancer(store);
    await run(fl, free(10));
    await run(fl, { ...free(6), expiresAt: NOW + 120 * DAY });
    await run(fl, { ...free(8), source: 'purchase', category: 'paid' });
    return fl;
  }

  it('voids one lot with an adjustment entry and the reason, and replays a retry', async () => {
    const ctx = testContext(store);
    const fl = await withLots();
    const input = { freelancerId: fl, lotNo: 2, reason: 'promo granted twice', idempotencyKey: 'v-1' };
    const first = await voidLot(ctx, input, NOW + DAY);
    expect(first).toMatchObject({
      ok: true,
      value: {
        lotNo: 2,
        replayed: false,
        balance: { balance: 18 },
        entry: {
          type: 'adjustment',
          amount: 6,
          postings: [{ lotNo: 2, amount: -6 }],
          reason: 'promo granted twice',
          ref: 'admin:v-1',
        },
      },
    });
    const again = await voidLot(ctx, input, NOW + 2 * DAY);
    expect(again.ok && again.value.replayed).toBe(true);
    expect(again.ok && first.ok && again.value.entry).toEqual(first.ok && first.value.entry);
    expect(code(await voidLot(ctx, { ...input, lotNo: 1 }, NOW + 2 * DAY))).toBe('idempotency_conflict');
    expect(code(await expireLot(ctx, input, NOW + 2 * DAY))).toBe('idempotency_conflict');
    expect((await store.lots(fl)).map((l) => [l.lotNo, l.remaining])).toEqual([
      [1, 10],
      [2, 0],
      [3, 8],
    ]);
  });

  it('expires one lot now with an expiry entry effective now', async () => {
    const ctx = testContext(store);
    const fl = await withLots();
    const input = { freelancerId: fl, lotNo: 1, reason: 'campaign ended early', idempotencyKey: 'e-1' };
    const r = await expireLot(ctx, input, NOW + DAY);
    expect(r).toMatchObject({
      ok: true,
      value: {
        balance: { balance: 14, available: 14 },
        entry: { type: 'expiry', amount: 10, effectiveAt: NOW + DAY, reason: 'campaign ended early' },
      },
    });
  });

  it('refuses an unknown, paid, held or empty lot with its code and writes nothing', async () => {
    const ctx = testContext(store);
    const fl = await withLots();
    await run(fl, { kind: 'hold', holdId: 'bid-1', amount: 3 }, NOW + DAY);
    const held = (await store.holds(fl))[0]?.draws[0]?.lotNo;
    expect(held).toBe(1);
    await run(fl, { kind: 'adjust', delta: -6, lotNo: 2, expiresAt: NOW, reason: 'drain' }, NOW + DAY);
    const countEntries = async () => {
      const page = await store.entries(fl, {});
      return page.ok ? page.value.entries.length : -1;
    };
    const entriesBefore = await countEntries();
    const cases: [number, string][] = [
      [9, 'lot_not_found'],
      [3, 'lot_is_paid'],
      [1, 'lot_is_held'],
      [2, 'lot_is_empty'],
    ];
    for (const [lotNo, expected] of cases) {
      const input = { freelancerId: fl, lotNo, reason: 'support', idempotencyKey: `k-${lotNo}` };
      expect(code(await voidLot(ctx, input, NOW + 2 * DAY))).toBe(expected);
      expect(code(await expireLot(ctx, input, NOW + 2 * DAY))).toBe(expected);
    }
    expect(await countEntries()).toBe(entriesBefore);
    // Once the hold is released the lot can be voided.
    await run(fl, { kind: 'release', holdId: 'bid-1' }, NOW + 3 * DAY);
    const input = { freelancerId: fl, lotNo: 1, reason: 'support', idempotencyKey: 'after-release' };
    expect(code(await voidLot(ctx, input, NOW + 3 * DAY))).toBe('ok');
  });

  it('refuses an unknown freelancer and malformed input, writing nothing', async () => {
    const ctx = testContext(store);
    const fl = await withLots();
    const base = { freelancerId: fl, lotNo: 1, reason: 'r', idempotencyKey: 'k' };
    expect(code(await voidLot(ctx, { ...base, freelancerId: 'nobody' }, NOW))).toBe('freelancer_not_found');
    const bad: LotCorrectionInput[] = [
      { ...base, lotNo: 0 },
      { ...base, lotNo: 1.5 },
      { ...base, reason: ' ' },
      { ...base, reason: 'x'.repeat(201) },
      { ...base, idempotencyKey: '' },
    ];
    for (const input of bad) {
      expect(code(await voidLot(ctx, input, NOW))).toBe('validation_failed');
      expect(code(await expireLot(ctx, input, NOW))).toBe('validation_failed');
    }
    expect((await store.lots(fl)).map((l) => l.remaining)).toEqual([10, 6, 8]);
  });
});

describe.each(testEngines)('lot extensions on $name', (engine) => {
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

  it('moves the expiry later through the store, keeps it spendable, and replays a retry', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const granted = await store.execute({
      account: fl,
      op: { kind: 'grant', amount: 10, source: 'promo', category: 'free', expiresAt: NOW + 30 * DAY },
      now: NOW,
    });
    expect(granted.ok).toBe(true);
    const later = NOW + 60 * DAY;
    const input = {
      freelancerId: fl,
      lotNo: 1,
      reason: 'outage week',
      expiresAt: new Date(later).toISOString(),
      idempotencyKey: 'x-1',
    };
    const first = await extendLot(ctx, input, NOW + DAY);
    expect(first).toMatchObject({
      ok: true,
      value: {
        replayed: false,
        entry: { type: 'adjustment', amount: 0, reason: 'outage week', lot: { lotNo: 1, expiresAt: later } },
      },
    });
    expect(await store.lots(fl)).toMatchObject([{ lotNo: 1, remaining: 10, expiresAt: later }]);
    expect(await store.balance(fl, NOW + 40 * DAY)).toMatchObject({ available: 10 });
    const again = await extendLot(ctx, input, NOW + 2 * DAY);
    expect(again.ok && again.value.replayed).toBe(true);
    const shorter = { ...input, expiresAt: new Date(NOW + 45 * DAY).toISOString(), idempotencyKey: 'x-2' };
    expect(code(await extendLot(ctx, shorter, NOW + 2 * DAY))).toBe('lot_expiry_invalid');
    const past = { ...input, expiresAt: new Date(NOW).toISOString(), idempotencyKey: 'x-3' };
    expect(code(await extendLot(ctx, past, NOW + 2 * DAY))).toBe('lot_expiry_invalid');
    const far = { ...input, expiresAt: '2040-01-01T00:00:00Z', idempotencyKey: 'x-4' };
    expect(code(await extendLot(ctx, far, NOW + 2 * DAY))).toBe('lot_expiry_invalid');
    const unknown = { ...input, lotNo: 7, idempotencyKey: 'x-5' };
    expect(code(await extendLot(ctx, unknown, NOW + 2 * DAY))).toBe('lot_not_found');
    expect(await store.lots(fl)).toMatchObject([{ lotNo: 1, expiresAt: later }]);
    // The stored lots are what replaying the history gives, extension included.
    expect((await verifyLedger(store)).discrepancies).toEqual([]);
  });
});
