import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/core/policy/eras.ts';
import type { Freelancer, PolicyTimeline } from '../api/types.ts';
import { upgradePreview } from './upgrade-preview.ts';

const policyAt = (now: string): PolicyTimeline => ({
  now,
  current: defaultPolicy,
  nextChangeAt: null,
  timeline: [defaultPolicy],
});
const ada: Pick<Freelancer, 'registeredAt'> = { registeredAt: '2030-03-01T00:00:00.000Z' };

describe('upgradePreview', () => {
  it('matches rules.md 3.2: cycle Mar 1 - Apr 1, upgrade Mar 10 12:00 -> 22 of 31 days, 49 Connects', () => {
    expect(upgradePreview(ada, policyAt('2030-03-10T12:00:00.000Z'))).toEqual({
      connects: 49,
      daysLeft: 22,
      daysInCycle: 31,
      cycleEnd: Date.UTC(2030, 3, 1),
      extra: 70,
    });
  });

  it('uses the cycle the server gives when it gives a whole one', () => {
    const withCycle = {
      ...ada,
      cycle: { start: '2030-03-01T00:00:00.000Z', end: '2030-04-01T00:00:00.000Z' },
    };
    expect(upgradePreview(withCycle, policyAt('2030-03-31T12:00:00.000Z')).connects).toBe(2);
  });

  it('computes the cycle from registration when only the renewal is known (anchor on the 1st for the 31st)', () => {
    const late = {
      ...ada,
      registeredAt: '2030-01-31T00:00:00.000Z',
      cycle: { start: '', end: '2030-03-01T00:00:00.000Z' },
    };
    const preview = upgradePreview(late, policyAt('2030-02-15T00:00:00.000Z'));
    expect(preview.daysInCycle).toBe(28);
    expect(preview.daysLeft).toBe(14);
    expect(preview.connects).toBe(35);
  });
});
