import { describe, expect, it } from 'vitest';
import {
  connectsLabel,
  formatCents,
  formatConnects,
  formatDate,
  formatDateTime,
  formatMonth,
  parseCents,
  parseWhole,
} from './format.ts';

describe('format', () => {
  it('formats money from integer cents exactly', () => {
    expect(formatCents(300)).toBe('$3.00');
    expect(formatCents(1499)).toBe('$14.99');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(-250)).toBe('-$2.50');
    expect(formatCents(123_456_789)).toBe('$1,234,567.89');
    // 0.1 + 0.2 style errors cannot happen: no float ever holds the amount.
    expect(formatCents(Number.MAX_SAFE_INTEGER)).toBe('$90,071,992,547,409.91');
  });

  it('formats Connects and their label', () => {
    expect(formatConnects(12_000)).toBe('12,000');
    expect(connectsLabel(1)).toBe('1 Connect');
    expect(connectsLabel(0)).toBe('0 Connects');
    expect(connectsLabel(49)).toBe('49 Connects');
  });

  it('shows dates in UTC whatever the reader’s zone', () => {
    expect(formatDate('2030-03-01T00:00:00.000Z')).toBe('Mar 1, 2030');
    expect(formatDate('2030-02-28T23:59:59.999Z')).toBe('Feb 28, 2030');
    expect(formatDateTime('2030-03-10T12:00:00.000Z')).toBe('Mar 10, 2030, 12:00 PM UTC');
    expect(formatMonth(Date.UTC(2030, 2, 1))).toBe('Mar');
    expect(formatMonth(Date.UTC(2031, 0, 1), true)).toBe('Jan 2031');
  });

  it('parses money into cents without floating point', () => {
    expect(parseCents('250')).toBe(25_000);
    expect(parseCents('250.5')).toBe(25_050);
    expect(parseCents('$1,234.56')).toBe(123_456);
    expect(parseCents('0.29')).toBe(29);
    for (const bad of ['', 'abc', '1.234', '-5', '1e3', '12,34', '1..2'])
      expect(parseCents(bad), bad).toBeUndefined();
  });

  it('parses whole numbers within a range', () => {
    expect(parseWhole('10', 10, 1000)).toBe(10);
    expect(parseWhole(' 1000 ', 10, 1000)).toBe(1000);
    for (const bad of ['9', '1001', '10.5', '-10', '', '1e2', '0x10'])
      expect(parseWhole(bad, 10, 1000), bad).toBeUndefined();
  });
});
