import { describe, expect, it } from 'vitest';
import { anchoredCycleAt, cycleAt, registrationAnchor } from './calendar.ts';
import { upgradeQuote } from './plan-upgrade.ts';
import { defaultPolicy } from './policy/eras.ts';
import type { Policy } from './policy/schema.ts';
import { parseInstant, type Instant } from './time.ts';

const at = (text: string): Instant => parseInstant(text) ?? Number.NaN;
const iso = (t: Instant) => new Date(t).toISOString();
const restart: Policy = {
  ...defaultPolicy,
  plans: { ...defaultPolicy.plans, plus: { ...defaultPolicy.plans.plus, upgradeBilling: 'restart_cycle' } },
};

/** [Connects, cents now, next renewal, daysLeft, daysInCycle] of an upgrade at `now`. */
function quote(policy: Policy, registered: string, now: string) {
  const q = upgradeQuote(policy, cycleAt(at(registered), at(now)), at(now));
  return [q.connects, q.priceCents, iso(q.nextCycleAt), q.daysLeft, q.daysInCycle];
}

describe('upgrade quote, prorate (the default)', () => {
  it('Mar 10 12:00 in the cycle Mar 1 - Apr 1: 49 Connects and 22/31 of the price, rounded down', () => {
    expect(defaultPolicy.plans.plus.upgradeBilling).toBe('prorate');
    // 1499 x 22 / 31 = 1063.87
    expect(quote(defaultPolicy, '2026-02-01T00:00:00Z', '2026-03-10T12:00:00Z')).toEqual([
      49,
      1063,
      '2026-04-01T00:00:00.000Z',
      22,
      31,
    ]);
  });

  it('Mar 31 23:30, half an hour before the renewal: one day of 31, not a whole cycle', () => {
    // 70 / 31 = 2.26; 1499 / 31 = 48.35
    expect(quote(defaultPolicy, '2026-02-01T00:00:00Z', '2026-03-31T23:30:00Z')).toEqual([
      2,
      48,
      '2026-04-01T00:00:00.000Z',
      1,
      31,
    ]);
  });

  it('a 14-hour first cycle (registered Mar 31 10:00) counts as a day of a month', () => {
    expect(quote(defaultPolicy, '2026-03-31T10:00:00Z', '2026-03-31T10:00:00Z')).toEqual([
      2,
      48,
      '2026-04-01T00:00:00.000Z',
      1,
      31,
    ]);
  });

  it('February of a leap year has 29 days', () => {
    // 70 x 15 / 29 = 36.2; 1499 x 15 / 29 = 775.3
    expect(quote(defaultPolicy, '2027-12-01T00:00:00Z', '2028-02-15T00:00:00Z')).toEqual([
      36,
      775,
      '2028-03-01T00:00:00.000Z',
      15,
      29,
    ]);
  });

  it('never charges more than the full price, nor grants more than the extra', () => {
    expect(quote(defaultPolicy, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z').slice(0, 2)).toEqual([
      70, 1499,
    ]);
  });
});

describe('upgrade quote, restart_cycle', () => {
  it('Mar 10 12:00: full price and allotment, the next renewal a cycle later on the new anchor day', () => {
    expect(quote(restart, '2026-02-01T00:00:00Z', '2026-03-10T12:00:00Z')).toEqual([
      80,
      1499,
      '2026-04-10T00:00:00.000Z',
      31,
      31,
    ]);
  });

  it('Mar 31 23:30 and a 14-hour first cycle: the new cycle lasts a month at least', () => {
    expect(quote(restart, '2026-02-01T00:00:00Z', '2026-03-31T23:30:00Z').slice(0, 3)).toEqual([
      80,
      1499,
      '2026-05-01T00:00:00.000Z',
    ]);
    expect(quote(restart, '2026-03-31T10:00:00Z', '2026-03-31T10:00:00Z').slice(0, 3)).toEqual([
      80,
      1499,
      '2026-05-01T00:00:00.000Z',
    ]);
  });

  it('Feb 29 of a leap year: renews Apr 1, then the 1st of every month', () => {
    const q = upgradeQuote(
      restart,
      cycleAt(at('2027-12-01T00:00:00Z'), at('2028-02-29T12:00:00Z')),
      at('2028-02-29T12:00:00Z'),
    );
    expect([q.cycle.index, iso(q.nextCycleAt)]).toEqual([3, '2028-04-01T00:00:00.000Z']);
    const anchor = { at: at('2028-02-29T12:00:00Z'), index: 3, restarted: true };
    expect(anchoredCycleAt(anchor, at('2028-03-31T23:59:59Z')).index).toBe(3);
    const next = anchoredCycleAt(anchor, at('2028-05-15T00:00:00Z'));
    expect([next.index, iso(next.start), iso(next.end)]).toEqual([
      5,
      '2028-05-01T00:00:00.000Z',
      '2028-06-01T00:00:00.000Z',
    ]);
  });

  it('a registration anchor gives the registration calendar', () => {
    const registered = at('2026-01-31T10:00:00Z');
    for (const t of ['2026-01-31T12:00:00Z', '2026-02-01T00:00:00Z', '2026-07-19T00:00:00Z']) {
      expect(anchoredCycleAt(registrationAnchor(registered), at(t))).toEqual(cycleAt(registered, at(t)));
    }
  });
});
