import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarYears,
  anchorDay,
  cycleAt,
  cycleIndexAt,
  cycleStartAt,
  cycleStartsIn,
  expiresAtFor,
  prorate,
} from './calendar.ts';
import { MS_PER_DAY, MS_PER_HOUR, toIso } from './time.ts';

const at = (iso: string): number => Date.parse(iso);

describe('addCalendarYears', () => {
  it('keeps month, day and time of day', () => {
    expect(toIso(addCalendarYears(at('2023-01-18T13:45:12.345Z'), 1))).toBe('2024-01-18T13:45:12.345Z');
  });

  it('maps Feb 29 to Feb 28 in a non-leap year', () => {
    expect(toIso(addCalendarYears(at('2024-02-29T10:00:00Z'), 1))).toBe('2025-02-28T10:00:00.000Z');
  });

  it('keeps Feb 29 when the target year is leap', () => {
    expect(toIso(addCalendarYears(at('2024-02-29T10:00:00Z'), 4))).toBe('2028-02-29T10:00:00.000Z');
  });

  it('follows the Gregorian century rules', () => {
    expect(toIso(addCalendarYears(at('2096-02-29T00:00:00Z'), 4))).toBe('2100-02-28T00:00:00.000Z');
    expect(toIso(addCalendarYears(at('1996-02-29T00:00:00Z'), 4))).toBe('2000-02-29T00:00:00.000Z');
  });

  it('handles the last instant of a year', () => {
    expect(toIso(addCalendarYears(at('2023-12-31T23:59:59.999Z'), 1))).toBe('2024-12-31T23:59:59.999Z');
  });
});

describe('anchorDay', () => {
  it('is the registration day up to the 28th', () => {
    expect(anchorDay(at('2024-01-15T10:00:00Z'))).toBe(15);
    expect(anchorDay(at('2024-02-28T23:59:59Z'))).toBe(28);
    expect(anchorDay(at('2024-03-01T00:00:00Z'))).toBe(1);
  });

  it('is the 1st for the 29th, 30th and 31st', () => {
    expect(anchorDay(at('2024-02-29T10:00:00Z'))).toBe(1);
    expect(anchorDay(at('2024-04-30T10:00:00Z'))).toBe(1);
    expect(anchorDay(at('2024-01-31T10:00:00Z'))).toBe(1);
  });
});

describe('billing cycles', () => {
  it('starts the first cycle at registration and later ones at 00:00 on the anchor day', () => {
    const r = at('2024-01-15T10:00:00Z');
    expect(cycleStartAt(r, 0)).toBe(r);
    expect(toIso(cycleStartAt(r, 1))).toBe('2024-02-15T00:00:00.000Z');
    expect(toIso(cycleStartAt(r, 2))).toBe('2024-03-15T00:00:00.000Z');
  });

  it('moves a 31st registration to the 1st of each following month', () => {
    const r = at('2024-01-31T10:00:00Z');
    expect(toIso(cycleStartAt(r, 1))).toBe('2024-02-01T00:00:00.000Z');
    expect(toIso(cycleStartAt(r, 2))).toBe('2024-03-01T00:00:00.000Z');
    expect(cycleAt(r, at('2024-01-31T23:00:00Z'))).toEqual({
      index: 0,
      start: r,
      end: at('2024-02-01T00:00:00Z'),
    });
  });

  it('crosses December into January', () => {
    const r = at('2023-11-20T08:00:00Z');
    expect(toIso(cycleStartAt(r, 1))).toBe('2023-12-20T00:00:00.000Z');
    expect(toIso(cycleStartAt(r, 2))).toBe('2024-01-20T00:00:00.000Z');
    expect(toIso(cycleStartAt(r, 14))).toBe('2025-01-20T00:00:00.000Z');
  });

  it('gives cycles the length of their month', () => {
    const r = at('2023-01-01T00:00:00Z');
    const lengthDays = (t: string): number => {
      const c = cycleAt(r, at(t));
      return (c.end - c.start) / MS_PER_DAY;
    };
    expect(lengthDays('2023-02-10T00:00:00Z')).toBe(28);
    expect(lengthDays('2024-02-10T00:00:00Z')).toBe(29);
    expect(lengthDays('2023-04-10T00:00:00Z')).toBe(30);
    expect(lengthDays('2023-03-10T00:00:00Z')).toBe(31);
  });

  it('finds the cycle at its exact boundaries', () => {
    const r = at('2024-01-15T10:00:00Z');
    const feb15 = at('2024-02-15T00:00:00Z');
    expect(cycleIndexAt(r, r)).toBe(0);
    expect(cycleIndexAt(r, feb15 - 1)).toBe(0);
    expect(cycleIndexAt(r, feb15)).toBe(1);
    // Same month as registration but before the anchor day the next year.
    expect(cycleIndexAt(r, at('2025-01-14T23:59:59Z'))).toBe(11);
    expect(cycleIndexAt(r, at('2025-01-15T00:00:00Z'))).toBe(12);
  });

  it('refuses instants before registration', () => {
    const r = at('2024-01-15T10:00:00Z');
    expect(() => cycleIndexAt(r, r - 1)).toThrow(/assertion/);
  });

  it('lists cycle starts in a half-open window, up to a limit', () => {
    const r = at('2024-01-31T10:00:00Z');
    const starts = cycleStartsIn(r, r - 1, at('2024-04-01T00:00:00Z'), 10).map((s) => [
      s.index,
      toIso(s.start),
    ]);
    expect(starts).toEqual([
      [0, '2024-01-31T10:00:00.000Z'],
      [1, '2024-02-01T00:00:00.000Z'],
      [2, '2024-03-01T00:00:00.000Z'],
      [3, '2024-04-01T00:00:00.000Z'],
    ]);
    expect(cycleStartsIn(r, r, at('2024-03-01T00:00:00Z'), 10).map((s) => s.index)).toEqual([1, 2]);
    expect(cycleStartsIn(r, at('2024-02-01T00:00:00Z'), at('2024-02-29T00:00:00Z'), 10)).toEqual([]);
    expect(cycleStartsIn(r, r - 1, at('2030-01-01T00:00:00Z'), 3).map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('keeps starts increasing and every instant inside its cycle (property)', () => {
    const from = at('1990-01-01T00:00:00Z');
    const to = at('2100-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: from, max: to }),
        fc.integer({ min: 0, max: 20 * 366 * MS_PER_DAY }),
        (registeredAt, offset) => {
          for (let i = 0; i < 30; i += 1) {
            expect(cycleStartAt(registeredAt, i + 1)).toBeGreaterThan(cycleStartAt(registeredAt, i));
          }
          const t = registeredAt + offset;
          const c = cycleAt(registeredAt, t);
          expect(c.start).toBeLessThanOrEqual(t);
          expect(t).toBeLessThan(c.end);
          expect(cycleStartAt(registeredAt, c.index)).toBe(c.start);
          if (c.index > 0) expect(new Date(c.start).getUTCDate()).toBe(anchorDay(registeredAt));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('prorate', () => {
  const march = { start: at('2024-03-01T00:00:00Z'), end: at('2024-04-01T00:00:00Z') };

  it('matches the worked example: Mar 10 12:00 in Mar 1 - Apr 1, extra 70 -> 49', () => {
    expect(prorate(70, at('2024-03-10T12:00:00Z'), march)).toBe(49); // floor(70 * 22 / 31)
  });

  it('gives the full extra at the cycle start and rounds partial days up', () => {
    expect(prorate(70, march.start, march)).toBe(70);
    expect(prorate(70, march.end - 1, march)).toBe(2); // 1 day left: floor(70 / 31)
    expect(prorate(70, march.start + MS_PER_HOUR, march)).toBe(70); // still 31 days rounded up
  });

  it('counts a short first cycle as part of a month, not as a whole cycle', () => {
    // 14 hours left of a cycle counted as January's 31 days: one day's share.
    const first = { start: at('2024-01-31T10:00:00Z'), end: at('2024-02-01T00:00:00Z') };
    expect(prorate(70, first.start, first)).toBe(2);
  });

  it('refuses an instant outside the cycle', () => {
    expect(() => prorate(70, march.end, march)).toThrow(/assertion/);
  });
});

describe('expiresAtFor', () => {
  const issuedAt = at('2024-02-29T10:00:00Z');

  it('uses calendar years', () => {
    expect(toIso(expiresAtFor({ kind: 'calendar_years', years: 1 }, issuedAt))).toBe(
      '2025-02-28T10:00:00.000Z',
    );
  });

  it('uses whole days', () => {
    expect(expiresAtFor({ kind: 'days', days: 30 }, issuedAt)).toBe(issuedAt + 30 * MS_PER_DAY);
  });

  it('uses the cycle end, which it requires', () => {
    const end = at('2024-03-01T00:00:00Z');
    expect(expiresAtFor({ kind: 'end_of_cycle' }, issuedAt, end)).toBe(end);
    expect(() => expiresAtFor({ kind: 'end_of_cycle' }, issuedAt)).toThrow(/assertion/);
  });
});
