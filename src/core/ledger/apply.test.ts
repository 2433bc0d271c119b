import { describe, expect, it } from 'vitest';
import { emptyAccount } from '../types.ts';
import { applyOperation } from './apply.ts';
import { balanceAsOf, balanceAt } from './balance.ts';
import { replay } from './replay.ts';
import { build, DAY, grant, T0 } from './test-kit.ts';

describe('balance and expiry', () => {
  it('counts a lot from its issue instant up to, not including, its expiry instant', () => {
    const { state } = build([[grant(10, T0 + 5 * DAY), T0]]);
    expect(balanceAt(state, T0).available).toBe(10);
    expect(balanceAt(state, T0 + 5 * DAY - 1).available).toBe(10);
    expect(balanceAt(state, T0 + 5 * DAY).available).toBe(0);
  });

  it('refuses to spend a lot that expires exactly at now', () => {
    const { state } = build([[grant(10, T0 + DAY), T0]]);
    const r = applyOperation(state, { kind: 'debit', amount: 1 }, T0 + DAY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'insufficient_connects', details: { available: 0 } });
  });

  it('materialises due expiries once, effective at the expiry instant', () => {
    const { state } = build([[grant(10, T0 + DAY), T0]]);
    const first = applyOperation(state, { kind: 'sweep', limit: 100 }, T0 + 3 * DAY);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value.entries).toMatchObject([
      { type: 'expiry', amount: 10, effectiveAt: T0 + DAY, balanceBefore: 10, balanceAfter: 0 },
    ]);
    const second = applyOperation(first.value.state, { kind: 'sweep', limit: 100 }, T0 + 4 * DAY);
    expect(second.ok && second.value.entries).toEqual([]);
  });

  it('bounds a sweep by its limit', () => {
    const { state } = build([
      [grant(1, T0 + DAY), T0],
      [grant(2, T0 + DAY), T0],
      [grant(3, T0 + DAY), T0],
    ]);
    const r = applyOperation(state, { kind: 'sweep', limit: 2 }, T0 + 2 * DAY);
    expect(r.ok && r.value.entries.map((e) => e.amount)).toEqual([1, 2]);
  });
});

describe('debits', () => {
  it('spans three lots in soonest-expiry, oldest-issue, lot-number order and records them', () => {
    const { state } = build([
      [grant(3, T0 + 30 * DAY), T0], // lot 1
      [grant(4, T0 + 10 * DAY), T0], // lot 2: expires first
      [grant(5, T0 + 30 * DAY), T0], // lot 3: same expiry and issue as lot 1
      [grant(6, T0 + 30 * DAY, T0 - DAY), T0], // lot 4: issued earlier than lots 1 and 3
    ]);
    const r = applyOperation(state, { kind: 'debit', amount: 12, ref: 'proposal:p1' }, T0 + DAY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [entry] = r.value.entries;
    expect(entry).toMatchObject({
      type: 'debit',
      amount: 12,
      balanceBefore: 18,
      balanceAfter: 6,
      ref: 'proposal:p1',
      postings: [
        { lotNo: 2, amount: -4 },
        { lotNo: 4, amount: -6 },
        { lotNo: 1, amount: -2 },
      ],
    });
    expect(r.value.state.lots.map((l) => l.remaining)).toEqual([1, 0, 5, 0]);
  });

  it('fails with the balance and amount needed and changes nothing', () => {
    const { state } = build([[grant(5, T0 + DAY), T0]]);
    const before = structuredClone(state);
    const r = applyOperation(state, { kind: 'debit', amount: 6 }, T0);
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'insufficient_connects',
        details: { needed: 6, available: 5, balance: 5 },
      }),
    });
    expect(state).toEqual(before);
  });

  it('refuses a grant with an unknown source or category', () => {
    const state = emptyAccount('a');
    const bad = [
      { ...grant(5, T0 + DAY), source: 'gift' as never },
      { ...grant(5, T0 + DAY), category: 'bonus' as never },
    ];
    for (const op of bad) {
      const r = applyOperation(state, op, T0);
      expect(!r.ok && r.error.code).toBe('validation_failed');
    }
  });

  it('refuses amounts that are not whole Connects in range', () => {
    const state = emptyAccount('a');
    for (const amount of [0, -1, 1.5, Number.NaN, 2e9]) {
      const r = applyOperation(state, { kind: 'debit', amount }, T0);
      expect(!r.ok && r.error.code).toBe('invalid_amount');
    }
  });
});

describe('holds', () => {
  const funded = () => build([[grant(10, T0 + 100 * DAY), T0]]).state;

  it('reserves Connects: available drops, balance does not', () => {
    const { state } = build([[{ kind: 'hold', holdId: 'b1', amount: 4 }, T0]], funded());
    expect(balanceAt(state, T0)).toEqual({ balance: 10, available: 6, held: 4 });
    const spend = applyOperation(state, { kind: 'debit', amount: 7 }, T0);
    expect(!spend.ok && spend.error.code).toBe('insufficient_connects');
  });

  it('captures into a debit and releases back to the same lots', () => {
    const { state } = build(
      [
        [{ kind: 'hold', holdId: 'b1', amount: 4 }, T0],
        [{ kind: 'hold', holdId: 'b2', amount: 3 }, T0],
        [{ kind: 'capture', holdId: 'b1' }, T0 + DAY],
        [{ kind: 'release', holdId: 'b2' }, T0 + DAY],
      ],
      funded(),
    );
    expect(balanceAt(state, T0 + DAY)).toEqual({ balance: 6, available: 6, held: 0 });
    const again = applyOperation(state, { kind: 'capture', holdId: 'b1' }, T0 + DAY);
    expect(!again.ok && again.error.code).toBe('hold_already_settled');
    const missing = applyOperation(state, { kind: 'release', holdId: 'nope' }, T0 + DAY);
    expect(!missing.ok && missing.error.code).toBe('hold_not_found');
    const reuse = applyOperation(state, { kind: 'hold', holdId: 'b2', amount: 1 }, T0 + DAY);
    expect(!reuse.ok && reuse.error.code).toBe('hold_exists');
  });

  it('expires a released part at once when its lot expired while held', () => {
    const { state } = build([
      [grant(5, T0 + DAY), T0],
      [{ kind: 'hold', holdId: 'b1', amount: 5 }, T0],
    ]);
    const r = applyOperation(state, { kind: 'release', holdId: 'b1' }, T0 + 2 * DAY);
    expect(r.ok && r.value.entries.map((e) => [e.type, e.amount, e.balanceAfter])).toEqual([
      ['hold_release', 5, 5],
      ['expiry', 5, 0],
    ]);
  });
});

describe('refunds', () => {
  it('reinstates to the original lots with their original expiry', () => {
    const { state, entries } = build([
      [grant(3, T0 + 10 * DAY), T0],
      [grant(5, T0 + 20 * DAY), T0],
      [{ kind: 'debit', amount: 6, ref: 'p1' }, T0],
    ]);
    const draws = entries[2]!.postings;
    const r = applyOperation(state, { kind: 'refund', draws, mode: 'reinstate', ref: 'p1' }, T0 + DAY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.state.lots.map((l) => [l.lotNo, l.remaining, l.expiresAt])).toEqual([
      [1, 3, T0 + 10 * DAY],
      [2, 5, T0 + 20 * DAY],
    ]);
  });

  it('expires at once the part whose lot expired in the meantime', () => {
    const { state, entries } = build([
      [grant(3, T0 + 10 * DAY), T0],
      [grant(5, T0 + 20 * DAY), T0],
      [{ kind: 'debit', amount: 6 }, T0],
    ]);
    const r = applyOperation(
      state,
      { kind: 'refund', draws: entries[2]!.postings, mode: 'reinstate' },
      T0 + 15 * DAY,
    );
    expect(r.ok && r.value.entries.map((e) => [e.type, e.amount])).toEqual([
      ['refund', 6],
      ['expiry', 3],
    ]);
    expect(r.ok && balanceAt(r.value.state, T0 + 15 * DAY).available).toBe(5);
  });

  it('can issue a fresh lot instead, keeping the category', () => {
    const { state, entries } = build([
      [grant(4, T0 + 10 * DAY), T0],
      [{ kind: 'debit', amount: 4 }, T0],
    ]);
    const draws = entries[1]!.postings;
    const r = applyOperation(
      state,
      { kind: 'refund', draws, mode: 'fresh_lot', freshExpiresAt: T0 + 400 * DAY },
      T0 + 15 * DAY,
    );
    expect(r.ok && r.value.entries[0]).toMatchObject({
      type: 'refund',
      lot: { source: 'refund', category: 'free', remaining: 4, expiresAt: T0 + 400 * DAY },
    });
  });

  it('refuses to put back more than a lot ever held', () => {
    const { state } = build([[grant(4, T0 + 10 * DAY), T0]]);
    const r = applyOperation(
      state,
      { kind: 'refund', draws: [{ lotNo: 1, amount: -1 }], mode: 'reinstate' },
      T0,
    );
    expect(!r.ok && r.error.code).toBe('refund_exceeds_debit');
  });
});

describe('caps', () => {
  it('truncates a grant at the holding cap and records the forfeit', () => {
    const { state } = build([[grant(340, T0 + 100 * DAY), T0]]);
    const r = applyOperation(state, { ...grant(70, T0 + 100 * DAY), holdingCap: 350 }, T0);
    expect(r.ok && r.value.entries.map((e) => [e.type, e.amount, e.balanceAfter])).toEqual([
      ['grant', 10, 350],
      ['forfeit', 60, 350],
    ]);
  });

  it('expires Connects above the rollover cap, soonest-expiring first', () => {
    const { state } = build([
      [grant(100, T0 + 300 * DAY), T0],
      [grant(80, T0 + 200 * DAY), T0],
    ]);
    const r = applyOperation(state, { kind: 'rollover', cap: 140 }, T0 + DAY);
    expect(r.ok && r.value.entries).toMatchObject([
      { type: 'expiry', reason: 'rollover_cap', amount: 40, postings: [{ lotNo: 2, amount: -40 }] },
    ]);
  });
});

describe('adjustments', () => {
  it('can remove Connects from one named lot only', () => {
    const { state } = build([
      [grant(5, T0 + 10 * DAY), T0],
      [grant(8, T0 + 20 * DAY), T0],
    ]);
    const r = applyOperation(
      state,
      { kind: 'adjust', delta: -6, lotNo: 2, reason: 'chargeback', expiresAt: 0 },
      T0,
    );
    expect(r.ok && r.value.entries[0]).toMatchObject({
      type: 'adjustment',
      postings: [{ lotNo: 2, amount: -6 }],
    });
    const tooMuch = applyOperation(
      state,
      { kind: 'adjust', delta: -9, lotNo: 2, reason: 'x', expiresAt: 0 },
      T0,
    );
    expect(!tooMuch.ok && tooMuch.error.code).toBe('insufficient_connects');
    const unknown = applyOperation(
      state,
      { kind: 'adjust', delta: -1, lotNo: 9, reason: 'x', expiresAt: 0 },
      T0,
    );
    expect(!unknown.ok && unknown.error.code).toBe('insufficient_connects');
    const adding = applyOperation(
      state,
      { kind: 'adjust', delta: 1, lotNo: 2, reason: 'x', expiresAt: T0 + DAY },
      T0,
    );
    expect(!adding.ok && adding.error.code).toBe('validation_failed');
  });
});

describe('history', () => {
  it('answers balances as of past instants and replays to the same state', () => {
    const { state, entries } = build([
      [grant(10, T0 + 10 * DAY), T0],
      [{ kind: 'debit', amount: 4 }, T0 + DAY],
      [{ kind: 'hold', holdId: 'h', amount: 2 }, T0 + 2 * DAY],
      [grant(5, T0 + 30 * DAY), T0 + 3 * DAY],
      [{ kind: 'sweep', limit: 10 }, T0 + 20 * DAY],
    ]);
    const asOf = (t: number) => balanceAsOf([], entries, t);
    expect(asOf(T0 - 1)).toEqual({ balance: 0, available: 0, held: 0 });
    expect(asOf(T0 + DAY)).toEqual({ balance: 6, available: 6, held: 0 });
    expect(asOf(T0 + 2 * DAY)).toEqual({ balance: 6, available: 4, held: 2 });
    expect(asOf(T0 + 3 * DAY).balance).toBe(11);
    expect(asOf(T0 + 20 * DAY)).toEqual({ balance: 7, available: 5, held: 2 });
    expect(replay('fl-1', entries)).toEqual(state);
  });
});
