import { describe, expect, it } from 'vitest';
import type { Entry } from '../api/types.ts';
import { signed } from './HistoryPanel.tsx';

const entry = (type: Entry['type'], amount: number, b: [number, number], a: [number, number]): Entry => ({
  seq: 1,
  type,
  amount,
  balanceBefore: b[0],
  balanceAfter: b[1],
  availableBefore: a[0],
  availableAfter: a[1],
  effectiveAt: '2030-01-01T00:00:00.000Z',
});

describe('signed', () => {
  it('shows the change to the balance, or to the available balance for holds', () => {
    expect(signed(entry('grant', 40, [0, 40], [0, 40]))).toBe('+40');
    expect(signed(entry('debit', 6, [40, 34], [40, 34]))).toBe('\u22126');
    expect(signed(entry('hold', 5, [34, 34], [34, 29]))).toBe('\u22125 available');
    expect(signed(entry('hold_release', 5, [34, 34], [29, 34]))).toBe('+5 available');
    expect(signed(entry('hold_capture', 5, [34, 29], [29, 29]))).toBe('\u22125');
    expect(signed(entry('refund', 6, [29, 35], [29, 35]))).toBe('+6');
    expect(signed(entry('adjustment', 3, [35, 32], [35, 32]))).toBe('\u22123');
  });

  it('falls back on the type when the balance columns are missing', () => {
    expect(signed({ seq: 1, type: 'expiry', amount: 10, effectiveAt: '2030-01-01T00:00:00.000Z' })).toBe(
      '\u221210',
    );
    expect(signed({ seq: 1, type: 'grant', amount: 10, effectiveAt: '2030-01-01T00:00:00.000Z' })).toBe(
      '+10',
    );
  });
});
