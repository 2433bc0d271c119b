import { describe, expect, it } from 'vitest';
import { applyOperation } from './apply.ts';
import { balanceAt } from './balance.ts';
import type { ExtendLotOp, LotCorrectionOp } from './operations.ts';
import { addCalendarYears } from '../calendar.ts';
import { replay } from './replay.ts';
import { build, DAY, grant, T0 } from './test-kit.ts';

const correct = (action: 'void' | 'expire', lotNo: number): LotCorrectionOp => ({
  kind: 'correct_lot',
  action,
  lotNo,
  reason: 'promo granted by mistake',
  ref: 'admin:k1',
});

const twoLots = () =>
  build([
    [grant(10, T0 + 30 * DAY), T0],
    [grant(5, T0 + 60 * DAY), T0],
  ]);

describe('lot corrections', () => {
  it('voids what is left of one lot with one adjustment entry and leaves the others', () => {
    const { state } = build([[{ kind: 'debit', amount: 3 }, T0 + DAY]], twoLots().state);
    const r = applyOperation(state, correct('void', 1), T0 + 2 * DAY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.entries).toMatchObject([
      {
        type: 'adjustment',
        amount: 7,
        postings: [{ lotNo: 1, amount: -7 }],
        balanceBefore: 12,
        balanceAfter: 5,
        reason: 'promo granted by mistake',
        ref: 'admin:k1',
        effectiveAt: T0 + 2 * DAY,
      },
    ]);
    expect(balanceAt(r.value.state, T0 + 2 * DAY).available).toBe(5);
  });

  it('expires a lot now with an expiry entry effective now, not at its own expiry', () => {
    const r = applyOperation(twoLots().state, correct('expire', 2), T0 + DAY);
    expect(r.ok && r.value.entries).toMatchObject([
      { type: 'expiry', amount: 5, postings: [{ lotNo: 2, amount: -5 }], effectiveAt: T0 + DAY },
    ]);
  });

  it('keeps the history replayable to the same state', () => {
    const { state, entries } = twoLots();
    const r = applyOperation(state, correct('void', 2), T0 + DAY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const replayed = replay('fl-1', [...entries, ...r.value.entries]);
    expect(replayed.lots.map((l) => [l.lotNo, l.remaining])).toEqual([
      [1, 10],
      [2, 0],
    ]);
  });

  it.each([
    ['an unknown lot', 9, 'lot_not_found'],
    ['a paid lot', 3, 'lot_is_paid'],
    ['a lot an active hold drew from', 1, 'lot_is_held'],
    ['an expired lot', 4, 'lot_is_empty'],
  ] as const)('refuses %s (%s) with its code and no change', (_what, lotNo, code) => {
    const { state } = build([
      [grant(10, T0 + 30 * DAY), T0],
      [grant(5, T0 + 60 * DAY), T0],
      [{ ...grant(8, T0 + 60 * DAY), source: 'purchase', category: 'paid' }, T0],
      [grant(2, T0 + 2 * DAY), T0],
      [{ kind: 'hold', holdId: 'h1', amount: 4 }, T0 + 3 * DAY],
    ]);
    for (const action of ['void', 'expire'] as const) {
      const r = applyOperation(state, correct(action, lotNo), T0 + 4 * DAY);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(code);
    }
  });

  it('allows a lot again once its hold is released, and refuses one drained by spending', () => {
    const { state } = build([
      [grant(4, T0 + 30 * DAY), T0],
      [{ kind: 'hold', holdId: 'h1', amount: 4 }, T0 + DAY],
      [{ kind: 'release', holdId: 'h1' }, T0 + 2 * DAY],
    ]);
    expect(applyOperation(state, correct('void', 1), T0 + 3 * DAY).ok).toBe(true);
    const spent = build([[{ kind: 'debit', amount: 4 }, T0 + 3 * DAY]], state).state;
    const r = applyOperation(spent, correct('expire', 1), T0 + 4 * DAY);
    expect(!r.ok && r.error.code).toBe('lot_is_empty');
  });

  it('refuses a lot number that is not a positive whole number, and an empty reason', () => {
    const { state } = twoLots();
    for (const op of [correct('void', 0), correct('void', 1.5), { ...correct('expire', 1), reason: ' ' }]) {
      const r = applyOperation(state, op, T0 + DAY);
      expect(!r.ok && r.error.code).toBe('validation_failed');
    }
  });
});

describe('lot extensions', () => {
  const extend = (lotNo: number, expiresAt: number): ExtendLotOp => ({
    kind: 'extend_lot',
    lotNo,
    expiresAt,
    reason: 'outage compensation',
    ref: 'admin:x1',
  });

  it('moves the expiry later with a 0-Connect adjustment carrying the lot, and replays to the same state', () => {
    const { state, entries } = twoLots();
    const r = applyOperation(state, extend(1, T0 + 45 * DAY), T0 + DAY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.entries).toMatchObject([
      {
        type: 'adjustment',
        amount: 0,
        postings: [],
        balanceBefore: 15,
        balanceAfter: 15,
        reason: 'outage compensation',
        lot: { lotNo: 1, remaining: 10, expiresAt: T0 + 45 * DAY },
      },
    ]);
    expect(r.value.state.lots.find((l) => l.lotNo === 1)?.expiresAt).toBe(T0 + 45 * DAY);
    // Spendable past the old expiry now.
    expect(balanceAt(r.value.state, T0 + 40 * DAY).available).toBe(15);
    expect(replay('fl-1', [...entries, ...r.value.entries])).toEqual(r.value.state);
  });

  it('never shortens, never to now or before, never beyond 5 years after issue', () => {
    const { state } = twoLots();
    const latest = addCalendarYears(T0, 5);
    for (const expiresAt of [T0 + 30 * DAY, T0 + 20 * DAY, T0 + DAY, latest + 1]) {
      const r = applyOperation(state, extend(1, expiresAt), T0 + DAY);
      expect(!r.ok && r.error.code).toBe('lot_expiry_invalid');
    }
    expect(applyOperation(state, extend(1, latest), T0 + DAY).ok).toBe(true);
  });

  it('is refused as a void is: unknown, paid, held or empty lot', () => {
    const { state } = build([
      [grant(10, T0 + 30 * DAY), T0],
      [{ ...grant(8, T0 + 60 * DAY), source: 'purchase', category: 'paid' }, T0],
      [{ kind: 'hold', holdId: 'h1', amount: 4 }, T0 + DAY],
    ]);
    const codes = [9, 2, 1].map((lotNo) => {
      const r = applyOperation(state, extend(lotNo, T0 + 90 * DAY), T0 + 2 * DAY);
      return r.ok ? 'ok' : r.error.code;
    });
    expect(codes).toEqual(['lot_not_found', 'lot_is_paid', 'lot_is_held']);
  });
});
