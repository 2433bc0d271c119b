import { describe, expect, it } from 'vitest';
import { defaultPolicy, eras } from './eras.ts';
import { createTimeline, defaultTimeline, nextPolicyChangeAfter, policyAt, policyById } from './timeline.ts';

const at = (iso: string): number => Date.parse(iso);

describe('policy timeline', () => {
  it('judges each instant by the last policy in force, exactly at the boundary', () => {
    const idAt = (iso: string): string => policyAt(defaultTimeline, at(iso)).id;
    expect(idAt('2019-04-30T23:59:59.999Z')).toBe('era-legacy');
    expect(idAt('2019-05-01T00:00:00.000Z')).toBe('era-2019');
    expect(idAt('2021-11-30T23:59:59.999Z')).toBe('era-2019');
    expect(idAt('2021-12-01T00:00:00.000Z')).toBe('era-2021');
    expect(idAt('2023-01-17T23:59:59.999Z')).toBe('era-2021');
    expect(idAt('2023-01-18T00:00:00.000Z')).toBe('era-2023');
    expect(idAt('2040-01-01T00:00:00.000Z')).toBe('era-2023');
  });

  it('uses the first policy before the first era starts', () => {
    expect(policyAt(defaultTimeline, at('1999-01-01T00:00:00Z')).id).toBe('era-legacy');
    const single = createTimeline([defaultPolicy]);
    expect(single.ok && policyAt(single.value, 0)).toEqual(defaultPolicy);
  });

  it('refuses unsorted, duplicate-date, duplicate-id, invalid and empty input', () => {
    const [legacy, y2019] = eras;
    const unsorted = createTimeline([y2019, legacy]);
    expect(!unsorted.ok && unsorted.error).toMatchObject({
      code: 'validation_failed',
      details: { index: 1 },
    });
    const sameDate = createTimeline([y2019, { ...y2019, id: 'other' }]);
    expect(!sameDate.ok && sameDate.error.message).toMatch(/strictly ascending/);
    const sameId = createTimeline([legacy, { ...y2019, id: 'era-legacy' }]);
    expect(!sameId.ok && sameId.error.message).toMatch(/appears twice/);
    const invalid = createTimeline([legacy, { ...y2019, refundMode: 'never' }]);
    expect(!invalid.ok && invalid.error).toMatchObject({ code: 'validation_failed', details: { index: 1 } });
    expect(createTimeline([]).ok).toBe(false);
  });

  it('says when the policy changes next and finds policies by id', () => {
    expect(nextPolicyChangeAfter(defaultTimeline, at('2020-01-01T00:00:00Z'))).toBe(
      at('2021-12-01T00:00:00Z'),
    );
    expect(nextPolicyChangeAfter(defaultTimeline, at('2021-12-01T00:00:00Z'))).toBe(
      at('2023-01-18T00:00:00Z'),
    );
    expect(nextPolicyChangeAfter(defaultTimeline, at('2023-01-18T00:00:00Z'))).toBeNull();
    expect(policyById(defaultTimeline, 'era-2021')?.plans.plus.rolloverCap).toBe(200);
    expect(policyById(defaultTimeline, 'nope')).toBeUndefined();
  });
});
