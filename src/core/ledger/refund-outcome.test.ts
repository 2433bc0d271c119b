import { describe, expect, it } from 'vitest';
import { applyOperation } from './apply.ts';
import { refundOutcome } from './refund-outcome.ts';
import { build, DAY, grant, T0 } from './test-kit.ts';

describe('refundOutcome', () => {
  it('reports the part of a refund that went into an expired lot as expired at once', () => {
    const { state, entries } = build([
      [grant(8, T0 + 10 * DAY), T0],
      [grant(5, T0 + 20 * DAY), T0],
      [{ kind: 'debit', amount: 13 }, T0],
    ]);
    const r = applyOperation(
      state,
      { kind: 'refund', draws: entries[2]!.postings, mode: 'reinstate' },
      T0 + 15 * DAY,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(refundOutcome(r.value.entries)).toEqual({ refundedConnects: 13, expiredAtOnce: 8 });
  });

  it('does not count expiries that were due before the refund, nor later ones', () => {
    const { state, entries } = build([
      [grant(4, T0 + 30 * DAY), T0],
      [{ kind: 'debit', amount: 3 }, T0],
      [grant(2, T0 + 10 * DAY), T0 + 1],
    ]);
    // The 2-Connect lot expired unswept before the refund: its expiry comes first and is not the refund's.
    const r = applyOperation(
      state,
      { kind: 'refund', draws: entries[1]!.postings, mode: 'reinstate' },
      T0 + 15 * DAY,
    );
    expect(r.ok && r.value.entries.map((e) => e.type)).toEqual(['expiry', 'refund']);
    if (!r.ok) return;
    expect(refundOutcome(r.value.entries)).toEqual({ refundedConnects: 3, expiredAtOnce: 0 });
    const later = applyOperation(r.value.state, { kind: 'sweep', limit: 10 }, T0 + 40 * DAY);
    expect(later.ok).toBe(true);
    if (!later.ok) return;
    const all = [...r.value.entries, ...later.value.entries];
    expect(refundOutcome(all)).toEqual({ refundedConnects: 3, expiredAtOnce: 0 });
  });
});
