import { describe, expect, it } from 'vitest';
import { defaultPolicy, eras } from './eras.ts';
import { parsePolicy } from './schema.ts';

describe('eras', () => {
  it('ships four eras in ascending order, each valid', () => {
    expect(eras.map((e) => e.id)).toEqual(['era-legacy', 'era-2019', 'era-2021', 'era-2023']);
    const starts = eras.map((e) => Date.parse(e.effectiveFrom));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    for (const era of eras) expect(parsePolicy(era).ok).toBe(true);
  });

  it('makes 2023 the default, with the numbers of rules.md 2, 3 and 5', () => {
    expect(defaultPolicy.id).toBe('era-2023');
    expect(defaultPolicy.effectiveFrom).toBe('2023-01-18T00:00:00.000Z');
    expect(defaultPolicy.lotLifetime).toEqual({ kind: 'calendar_years', years: 1 });
    expect(defaultPolicy.grants).toEqual({
      signup: 40,
      risingTalent: 30,
      interview: 10,
      interviewWeeklyCap: 50,
      interviewWindowDays: 7,
      certification: 10,
    });
    expect(defaultPolicy.plans.basic).toMatchObject({
      priceCents: 0,
      allotment: 10,
      rolloverCap: null,
      holdingCap: null,
    });
    expect(defaultPolicy.plans.plus).toMatchObject({ priceCents: 1499, allotment: 80, rolloverCap: null });
    expect(defaultPolicy.purchase).toMatchObject({
      unitPriceCents: 15,
      minConnects: 10,
      bundles: [10, 20, 40, 60, 80],
    });
    expect(defaultPolicy.rateCard.tiers.map((t) => t.connects)).toEqual([2, 4, 6, 8]);
    expect(defaultPolicy.boost.slots).toBe(4);
    expect(defaultPolicy.refundMode).toBe('reinstate');
  });

  it('encodes the table of rules.md 6', () => {
    const [legacy, y2019, y2021] = eras;
    expect(legacy?.plans.basic).toMatchObject({ allotment: 60, lotLifetime: { kind: 'end_of_cycle' } });
    expect(legacy?.plans.plus).toMatchObject({ allotment: 70, rolloverCap: 140, holdingCap: 350 });
    expect(legacy?.purchase).toMatchObject({ unitPriceCents: 100, minConnects: 5, plansAllowed: ['plus'] });
    expect(legacy?.grants.signup).toBe(0);
    expect(y2019?.effectiveFrom).toBe('2019-05-01T00:00:00.000Z');
    expect([y2019?.grants.signup, y2019?.plans.basic.allotment, y2019?.plans.plus.allotment]).toEqual([
      20, 0, 70,
    ]);
    expect(y2019?.plans.plus.rolloverCap).toBe(140);
    expect(y2021?.effectiveFrom).toBe('2021-12-01T00:00:00.000Z');
    expect([y2021?.grants.signup, y2021?.plans.basic.allotment, y2021?.plans.plus.allotment]).toEqual([
      40, 10, 80,
    ]);
    expect(y2021?.plans.plus.rolloverCap).toBe(200);
  });

  it('cannot be mutated by a caller', () => {
    expect(() => {
      (defaultPolicy.grants as { signup: number }).signup = 1;
    }).toThrow(TypeError);
    expect(defaultPolicy.grants.signup).toBe(40);
  });
});
