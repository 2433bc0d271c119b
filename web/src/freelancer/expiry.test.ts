import { describe, expect, it } from 'vitest';
import type { Lot } from '../api/types.ts';
import { expiringByMonth, isSpendable, recentNews, sourceName } from './expiry.ts';

let lotNo = 0;
const lot = (remaining: number, issuedAt: string, expiresAt: string): Lot => ({
  lotNo: ++lotNo,
  source: 'signup',
  category: 'free',
  amount: remaining,
  remaining,
  issuedAt,
  expiresAt,
  ref: null,
});

describe('expiringByMonth', () => {
  const now = Date.UTC(2030, 2, 10, 12); // 10 March 2030, 12:00 UTC

  it('puts each spendable lot in the UTC month it expires, this month to the same month next year', () => {
    const buckets = expiringByMonth(
      [
        lot(10, '2029-04-01T00:00:00Z', '2030-04-01T00:00:00Z'),
        lot(5, '2029-03-31T00:00:00Z', '2030-03-31T23:59:59Z'),
        lot(20, '2029-07-05T00:00:00Z', '2030-07-05T00:00:00Z'),
        lot(30, '2030-03-01T00:00:00Z', '2031-03-01T00:00:00Z'),
      ],
      now,
    );
    expect(buckets).toHaveLength(13);
    expect(buckets[0]).toEqual({ start: Date.UTC(2030, 2, 1), connects: 5 });
    expect(buckets[1]?.connects).toBe(10);
    expect(buckets[4]?.connects).toBe(20);
    expect(buckets[11]).toEqual({ start: Date.UTC(2031, 1, 1), connects: 0 });
    // The signup lot, issued this month, expires in the same month next year: the last bar.
    expect(buckets[12]).toEqual({ start: Date.UTC(2031, 2, 1), connects: 30 });
    expect(buckets.reduce((sum, b) => sum + b.connects, 0)).toBe(65);
  });

  it('ignores used lots and lots already expired', () => {
    const buckets = expiringByMonth(
      [
        lot(0, '2029-04-01T00:00:00Z', '2030-04-01T00:00:00Z'),
        lot(7, '2029-03-01T00:00:00Z', '2030-03-10T12:00:00Z'),
      ],
      now,
    );
    expect(buckets.every((b) => b.connects === 0)).toBe(true);
  });

  it('tells spendable lots: issuedAt <= t < expiresAt, something left', () => {
    expect(isSpendable(lot(1, '2030-03-10T12:00:00Z', '2031-03-10T12:00:00Z'), now)).toBe(true);
    expect(isSpendable(lot(1, '2029-03-10T12:00:00Z', '2030-03-10T12:00:00Z'), now)).toBe(false);
    expect(isSpendable(lot(0, '2030-03-01T00:00:00Z', '2031-03-01T00:00:00Z'), now)).toBe(false);
  });

  it('names sources for people', () => {
    expect(sourceName('signup')).toBe('Welcome bonus');
    expect(sourceName('monthly_allotment')).toBe('Monthly allotment');
    expect(sourceName('something_new')).toBe('something new');
  });
});

describe('recentNews', () => {
  const now = Date.UTC(2031, 1, 20); // 20 Feb 2031

  it('announces Connects expiring within 30 days and those that expired unspent in the last 30', () => {
    const news = recentNews(
      [
        lot(40, '2030-03-01T00:00:00Z', '2031-03-01T00:00:00Z'),
        lot(10, '2030-03-01T00:00:00Z', '2031-03-01T00:00:00Z'),
        lot(5, '2030-02-01T00:00:00Z', '2031-02-01T00:00:00Z'),
        lot(0, '2030-02-10T00:00:00Z', '2031-02-10T00:00:00Z'),
        lot(7, '2030-06-01T00:00:00Z', '2031-06-01T00:00:00Z'),
        lot(3, '2029-01-01T00:00:00Z', '2030-01-01T00:00:00Z'),
      ],
      now,
    );
    expect(news.expiringSoon).toEqual([{ at: Date.UTC(2031, 2, 1), connects: 50 }]);
    expect(news.justExpired).toEqual([{ at: Date.UTC(2031, 1, 1), connects: 5 }]);
  });
});
