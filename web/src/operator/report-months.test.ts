import { describe, expect, it } from 'vitest';
import { lastFullMonth, monthKey, reportMonths } from './report-months.ts';

describe('report months', () => {
  it('defaults to the last full month in UTC, across a year end', () => {
    expect(lastFullMonth(Date.parse('2030-03-10T12:00:00Z'))).toBe('2030-02');
    expect(lastFullMonth(Date.parse('2031-01-01T00:00:00Z'))).toBe('2030-12');
    // 23:30 on Jan 31 in New York is already February in UTC.
    expect(lastFullMonth(Date.parse('2031-02-01T04:30:00Z'))).toBe('2031-01');
  });

  it('lists the current month first, then earlier ones', () => {
    expect(reportMonths(Date.parse('2030-02-15T00:00:00Z'), 4)).toEqual([
      '2030-02',
      '2030-01',
      '2029-12',
      '2029-11',
    ]);
    expect(monthKey(2030, -1)).toBe('2029-12');
    expect(monthKey(2030, 12)).toBe('2031-01');
  });
});
