import { describe, expect, it } from 'vitest';
import type { Entry, Lot } from '../../core/types.ts';
import { drewOnly, planClawBack } from './claw-back.ts';

const T = Date.UTC(2026, 2, 10);
const DAY = 86_400_000;
const lot = (lotNo: number, remaining: number, expiresAt: number, issuedAt = T - DAY): Lot => ({
  lotNo,
  source: lotNo === 1 ? 'purchase' : 'signup',
  category: lotNo === 1 ? 'paid' : 'free',
  amount: 50,
  remaining,
  issuedAt,
  expiresAt,
  ref: null,
});

describe('claw-back plan', () => {
  it('removes what is left in the purchase lot when it is drawn first', () => {
    const plan = planClawBack(
      [lot(1, 25, T + 10 * DAY), lot(2, 40, T + 20 * DAY)],
      1,
      T,
      'chargeback',
      'purchase:p',
    );
    expect(plan).toEqual({
      ok: true,
      value: {
        connects: 25,
        op: {
          kind: 'adjust',
          delta: -25,
          expiresAt: T + 10 * DAY,
          reason: 'chargeback',
          ref: 'purchase:p',
          lotNo: 1,
        },
      },
    });
  });

  it('ignores empty and expired lots before it', () => {
    const lots = [lot(2, 0, T + DAY), lot(3, 9, T - 1), lot(1, 5, T + 10 * DAY)];
    expect(planClawBack(lots, 1, T, 'r', 'ref')).toMatchObject({ ok: true, value: { connects: 5 } });
  });

  it('has nothing to remove when the lot is spent, expired or not loaded', () => {
    expect(planClawBack([lot(1, 0, T + DAY)], 1, T, 'r', 'ref')).toEqual({
      ok: true,
      value: { connects: 0, op: null },
    });
    expect(planClawBack([lot(1, 7, T)], 1, T, 'r', 'ref')).toEqual({
      ok: true,
      value: { connects: 0, op: null },
    });
    expect(planClawBack([], 1, T, 'r', 'ref')).toEqual({ ok: true, value: { connects: 0, op: null } });
  });

  it('names the purchase lot even when another lot would be drawn first', () => {
    const plan = planClawBack([lot(2, 40, T + DAY), lot(1, 25, T + 10 * DAY)], 1, T, 'r', 'ref');
    expect(plan).toMatchObject({
      ok: true,
      value: { connects: 25, op: { kind: 'adjust', delta: -25, lotNo: 1 } },
    });
  });

  it('checks that the ledger removed exactly the planned Connects from that lot', () => {
    const entry = (type: Entry['type'], postings: Entry['postings']) =>
      ({ type, postings }) as unknown as Entry;
    expect(drewOnly([entry('adjustment', [{ lotNo: 1, amount: -5 }])], 1, 5)).toBe(true);
    expect(
      drewOnly(
        [entry('expiry', [{ lotNo: 2, amount: -3 }]), entry('adjustment', [{ lotNo: 1, amount: -5 }])],
        1,
        5,
      ),
    ).toBe(true);
    expect(drewOnly([entry('adjustment', [{ lotNo: 2, amount: -5 }])], 1, 5)).toBe(false);
    expect(
      drewOnly(
        [
          entry('adjustment', [
            { lotNo: 1, amount: -3 },
            { lotNo: 2, amount: -2 },
          ]),
        ],
        1,
        5,
      ),
    ).toBe(false);
    expect(drewOnly([], 1, 5)).toBe(false);
  });
});
