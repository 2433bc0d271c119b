import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../core/types.ts';
import { CSV_HEADER, csvField, csvLine, entryRecord } from './entry-format.ts';

const entry: Entry = {
  seq: 7,
  type: 'debit',
  amount: 6,
  postings: [
    { lotNo: 1, amount: -4 },
    { lotNo: 2, amount: -2 },
  ],
  balanceBefore: 50,
  balanceAfter: 44,
  availableBefore: 50,
  availableAfter: 44,
  effectiveAt: Date.UTC(2024, 2, 10, 12),
  recordedAt: Date.UTC(2024, 2, 10, 12),
  ref: 'proposal:p1',
  reason: 'proposal',
};

describe('entry records for history and export', () => {
  it('flattens an entry with its signed change, ISO instants and the lots it moved', () => {
    expect(entryRecord('ada', entry)).toEqual({
      account: 'ada',
      seq: 7,
      type: 'debit',
      amount: 6,
      delta: -6,
      balanceBefore: 50,
      balanceAfter: 44,
      availableBefore: 50,
      availableAfter: 44,
      effectiveAt: '2024-03-10T12:00:00.000Z',
      recordedAt: '2024-03-10T12:00:00.000Z',
      ref: 'proposal:p1',
      reason: 'proposal',
      lots: '1:-4 2:-2',
    });
  });

  it('writes CSV lines matching the header', () => {
    expect(CSV_HEADER).toBe(
      'account,seq,type,amount,delta,balanceBefore,balanceAfter,availableBefore,availableAfter,' +
        'effectiveAt,recordedAt,ref,reason,lots\n',
    );
    expect(csvLine(entryRecord('ada', entry))).toBe(
      'ada,7,debit,6,-6,50,44,50,44,2024-03-10T12:00:00.000Z,2024-03-10T12:00:00.000Z,proposal:p1,proposal,1:-4 2:-2\n',
    );
  });

  it('quotes text that needs it and defuses spreadsheet formulas', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(-5)).toBe('-5');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-1+2')).toBe("'-1+2");
  });
});
