import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTERVIEW_WINDOW_MS, interviewReward, type PriorReward } from './interview-cap.ts';
import { MS_PER_DAY, MS_PER_HOUR } from './time.ts';

const T0 = Date.UTC(2025, 4, 12, 8, 0, 0);
const W = INTERVIEW_WINDOW_MS;

describe('interview reward cap', () => {
  it('grants the full reward while the window has room', () => {
    expect(interviewReward([], T0, 10, 50, 7)).toEqual({
      connects: 10,
      withheldConnects: 0,
      cappedBy: null,
      windowConnects: 0,
    });
  });

  it('grants 0 with weekly_cap once 50 were granted in the last 7 days', () => {
    const five = [0, 1, 2, 3, 4].map((h) => ({ at: T0 + h * MS_PER_HOUR, connects: 10 }));
    const r = interviewReward(five, T0 + 5 * MS_PER_HOUR, 10, 50, 7);
    expect(r).toEqual({ connects: 0, withheldConnects: 10, cappedBy: 'weekly_cap', windowConnects: 50 });
  });

  it('grants a partial reward and reports the part withheld', () => {
    const r = interviewReward([{ at: T0, connects: 45 }], T0 + MS_PER_DAY, 10, 50, 7);
    expect(r).toEqual({ connects: 5, withheldConnects: 5, cappedBy: 'weekly_cap', windowConnects: 45 });
  });

  it('uses the window (now - 7 days, now]: a reward exactly 7 days old no longer counts', () => {
    const prior = [{ at: T0, connects: 50 }];
    expect(interviewReward(prior, T0 + W - 1, 10, 50, 7).connects).toBe(0);
    expect(interviewReward(prior, T0 + W, 10, 50, 7).connects).toBe(10);
  });

  it('uses the window length it is given: (now - 2 days, now] with a 2-day window', () => {
    const prior = [{ at: T0, connects: 50 }];
    expect(interviewReward(prior, T0 + 2 * MS_PER_DAY - 1, 10, 50, 2).connects).toBe(0);
    expect(interviewReward(prior, T0 + 2 * MS_PER_DAY, 10, 50, 2).connects).toBe(10);
    expect(interviewReward(prior, T0 + 9 * MS_PER_DAY, 10, 50, 14).connects).toBe(0);
  });

  it('counts a reward at the same instant as now', () => {
    expect(interviewReward([{ at: T0, connects: 45 }], T0, 10, 50, 7).connects).toBe(5);
  });
});

describe('interview cap properties', () => {
  it('keeps every rolling window within the cap and grants as much as the cap allows', () => {
    const stepArb = fc.integer({ min: 0, max: 3 * MS_PER_DAY });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(stepArb, fc.integer({ min: 0, max: 20 })), { maxLength: 80 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.integer({ min: 0, max: 80 * 3 * MS_PER_DAY }), { maxLength: 20 }),
        (interviews, cap, probes) => {
          const granted: PriorReward[] = [];
          const windowSum = (t: number) =>
            granted.filter((g) => g.at > t - W && g.at <= t).reduce((s, g) => s + g.connects, 0);
          let t = T0;
          for (const [step, reward] of interviews) {
            t += step;
            const before = windowSum(t);
            const r = interviewReward(granted, t, reward, cap, 7);
            expect(r.connects).toBe(Math.min(reward, Math.max(0, cap - before)));
            expect(r.connects + r.withheldConnects).toBe(reward);
            expect(r.cappedBy === 'weekly_cap').toBe(r.withheldConnects > 0);
            granted.push({ at: t, connects: r.connects });
            expect(windowSum(t)).toBeLessThanOrEqual(cap);
          }
          for (const p of probes) expect(windowSum(T0 + p)).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: 300 },
    );
  });
});
