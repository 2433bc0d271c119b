import { describe, expect, it } from 'vitest';
import { eras } from '../../../../src/core/policy/eras.ts';
import { parsePolicy } from '../../../../src/core/policy/schema.ts';
import {
  allFields,
  changedPaths,
  describeValue,
  formPath,
  fromPolicy,
  instantText,
  nextMonthStart,
  parseInstantText,
  toDocument,
  type Draft,
} from './policy-form.ts';

/** Every leaf of a policy as the form sees it: lifetimes and lists are one field each, tiers one table. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value) || typeof value !== 'object' || value === null || 'kind' in value) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

const edit = (draft: Draft, changes: Record<string, string>): Draft => ({
  ...draft,
  values: { ...draft.values, ...changes },
});

describe('the candidate policy form', () => {
  it('has a field for every field of every built-in policy', () => {
    const form = new Set([...allFields.map((f) => f.path), 'rateCard.tiers']);
    for (const era of eras) {
      // A plan's own lot lifetime is optional: the form has it whether or not the era sets it.
      const leaves = leafPaths(era).filter((p) => !/^plans\.\w+\.lotLifetime$/.test(p));
      expect(leaves.filter((p) => !form.has(p))).toEqual([]);
    }
    expect(allFields.filter((f) => f.path.endsWith('lotLifetime'))).toHaveLength(3);
  });

  it('reads every built-in policy back unchanged, and the core schema accepts it', () => {
    for (const era of eras) {
      const { document, problems } = toDocument(fromPolicy(era));
      expect(problems).toEqual([]);
      expect(document).toEqual(era);
      expect(parsePolicy(document).ok).toBe(true);
    }
  });

  it('turns edits into the document: dollars to cents, empty caps to null, lists, lifetimes, tiers', () => {
    const base = eras[3]!;
    const draft = edit(fromPolicy(base), {
      'plans.plus.priceCents': '19.99',
      'plans.plus.allotment': '100',
      'plans.plus.rolloverCap': '300',
      'purchase.bundles': '10, 50,100',
      'purchase.plansAllowed': 'plus',
      'lotLifetime.kind': 'days',
      'lotLifetime.amount': '180',
      'plans.basic.lotLifetime.kind': 'end_of_cycle',
      effectiveFrom: '2031-01-01',
    });
    const { document, problems } = toDocument({ ...draft, tiers: [{ below: '', connects: '5' }] });
    expect(problems).toEqual([]);
    expect(document).toMatchObject({
      effectiveFrom: '2031-01-01T00:00:00.000Z',
      lotLifetime: { kind: 'days', days: 180 },
      plans: {
        basic: { lotLifetime: { kind: 'end_of_cycle' } },
        plus: { priceCents: 1999, allotment: 100, rolloverCap: 300, holdingCap: null },
      },
      purchase: { bundles: [10, 50, 100], plansAllowed: ['plus'] },
      rateCard: { tiers: [{ belowBudgetCents: null, connects: 5 }], hourly: 8 },
    });
    expect(changedPaths(draft, base)).toEqual([
      'effectiveFrom',
      'lotLifetime',
      'plans.basic.lotLifetime',
      'plans.plus.priceCents',
      'plans.plus.allotment',
      'plans.plus.rolloverCap',
      'purchase.bundles',
      'purchase.plansAllowed',
    ]);
  });

  it('reports what it cannot read at the field’s path, and leaves ranges to the server', () => {
    const draft = edit(fromPolicy(eras[3]!), {
      'grants.signup': 'forty',
      'plans.plus.priceCents': '14.999',
      'plans.plus.holdingCap': '1.5',
      effectiveFrom: '1 Jan 2031',
      'boost.slots': '-3',
    });
    const tiers = [{ below: '50', connects: 'x' }];
    const { problems, document } = toDocument({ ...draft, tiers });
    expect(problems.map((p) => p.path)).toEqual([
      'effectiveFrom',
      'grants.signup',
      'plans.plus.priceCents',
      'plans.plus.holdingCap',
      'rateCard.tiers.0.connects',
    ]);
    expect(document).toMatchObject({ grants: { signup: 'forty' }, boost: { slots: -3 } });
  });

  it('shows current values for people', () => {
    const [legacy, , , now] = eras;
    const field = (path: string) => allFields.find((f) => f.path === path)!;
    expect(describeValue(now!, field('plans.plus.priceCents'))).toBe('$14.99');
    expect(describeValue(now!, field('plans.plus.rolloverCap'))).toBe('no cap');
    expect(describeValue(legacy!, field('plans.plus.holdingCap'))).toBe('350');
    expect(describeValue(legacy!, field('plans.basic.lotLifetime'))).toBe('to the end of the cycle');
    expect(describeValue(now!, field('plans.basic.lotLifetime'))).toBe('same as the lot lifetime');
    expect(describeValue(legacy!, field('purchase.plansAllowed'))).toBe('Plus');
    expect(describeValue(now!, field('refundMode'))).toBe('Reinstate the spent lots');
    expect(describeValue(now!, field('effectiveFrom'))).toBe('2023-01-18');
  });

  it('maps the API’s field paths onto the form', () => {
    expect(formPath('policy.grants.signup')).toBe('grants.signup');
    expect(formPath('candidate.rateCard.tiers.1.belowBudgetCents')).toBe('rateCard.tiers.1.belowBudgetCents');
    expect(formPath('candidate.0.plans.plus.lotLifetime.years')).toBe('plans.plus.lotLifetime');
    expect(formPath('body.policy.effectiveFrom')).toBe('effectiveFrom');
    expect(formPath('months')).toBe('months');
  });

  it('reads instants in UTC and writes them back short', () => {
    expect(parseInstantText('2031-01-01')).toBe('2031-01-01T00:00:00.000Z');
    expect(parseInstantText('2031-01-01T09:30')).toBe('2031-01-01T09:30:00.000Z');
    expect(parseInstantText('2031-02-30')).toBeUndefined();
    expect(parseInstantText('tomorrow')).toBeUndefined();
    expect(instantText('2031-01-01T00:00:00.000Z')).toBe('2031-01-01');
    expect(instantText('2031-01-01T09:30:00.000Z')).toBe('2031-01-01T09:30');
    expect(nextMonthStart('2030-12-15T10:00:00.000Z')).toBe('2031-01-01');
  });
});
