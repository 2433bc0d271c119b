import { describe, expect, it } from 'vitest';
import { defaultPolicy, eras } from './eras.ts';
import {
  createTimeline,
  defaultTimeline,
  MAX_TIMELINE_POLICIES,
  nextPolicyChangeAfter,
  policyAt,
  policyById,
  policyStateAt,
  withoutScheduled,
  withScheduled,
} from './timeline.ts';

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

describe('scheduling on a timeline', () => {
  const now = at('2026-06-01T00:00:00.000Z');
  const candidate = {
    ...defaultPolicy,
    id: 'plus-100',
    name: 'Plus at 100',
    effectiveFrom: '2026-07-01T00:00:00.000Z',
  };

  it('inserts a future policy in order and judges states at now', () => {
    const result = withScheduled(defaultTimeline, candidate, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ids = result.value.policies.map((p) => p.id);
    expect(ids).toEqual(['era-legacy', 'era-2019', 'era-2021', 'era-2023', 'plus-100']);
    expect(ids.map((_, i) => policyStateAt(result.value, i, now))).toEqual([
      'past',
      'past',
      'past',
      'in_force',
      'scheduled',
    ]);
    expect(policyAt(result.value, at('2026-07-01T00:00:00.000Z')).id).toBe('plus-100');
    // A scheduled policy is replaced under its id; it can be withdrawn.
    const moved = withScheduled(
      result.value,
      { ...candidate, effectiveFrom: '2026-08-01T00:00:00.000Z' },
      now,
    );
    expect(moved.ok && moved.value.policies.length).toBe(5);
    const withdrawn = withoutScheduled(result.value, 'plus-100', now);
    expect(withdrawn.ok && withdrawn.value.policies.map((p) => p.id)).toEqual(
      defaultTimeline.policies.map((p) => p.id),
    );
  });

  it('accepts effectiveFrom exactly now and refuses the past with a field path', () => {
    expect(
      withScheduled(defaultTimeline, { ...candidate, effectiveFrom: '2026-06-01T00:00:00.000Z' }, now).ok,
    ).toBe(true);
    const past = withScheduled(
      defaultTimeline,
      { ...candidate, effectiveFrom: '2026-05-31T23:59:59.999Z' },
      now,
    );
    expect(!past.ok && past.error).toMatchObject({
      code: 'validation_failed',
      details: { issues: [{ path: 'effectiveFrom' }] },
    });
  });

  it('never changes a policy in force or past', () => {
    const again = withScheduled(
      defaultTimeline,
      { ...defaultPolicy, effectiveFrom: '2026-07-01T00:00:00.000Z' },
      now,
    );
    expect(!again.ok && again.error.code).toBe('policy_in_force');
    expect(withoutScheduled(defaultTimeline, 'era-2019', now)).toMatchObject({
      ok: false,
      error: { code: 'policy_in_force' },
    });
    expect(withoutScheduled(defaultTimeline, 'nope', now)).toMatchObject({
      ok: false,
      error: { code: 'policy_not_found' },
    });
  });

  it('refuses invalid policies with every field path, and a full timeline', () => {
    const bad = withScheduled(
      defaultTimeline,
      { ...candidate, extra: 1, grants: { ...defaultPolicy.grants, signup: 1.5 } },
      now,
    );
    expect(!bad.ok && bad.error.code).toBe('validation_failed');
    const paths = !bad.ok ? (bad.error.details?.['issues'] as { path: string }[]).map((i) => i.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['', 'grants.signup']));
    let timeline = defaultTimeline;
    for (let i = timeline.policies.length; i < MAX_TIMELINE_POLICIES; i++) {
      const next = withScheduled(
        timeline,
        { ...candidate, id: `p${i}`, effectiveFrom: new Date(now + i * 1000).toISOString() },
        now,
      );
      if (!next.ok) throw new Error(next.error.message);
      timeline = next.value;
    }
    const full = withScheduled(timeline, { ...candidate, effectiveFrom: '2030-01-01T00:00:00.000Z' }, now);
    expect(!full.ok && full.error.code).toBe('validation_failed');
  });
});
