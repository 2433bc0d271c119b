import { describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../time.ts';
import { defaultPolicy } from './eras.ts';
import { evaluateRisingTalent, risingTalentFactsSchema, type RisingTalentFacts } from './rising-talent.ts';

const now = Date.parse('2024-06-01T12:00:00Z');
const daysAgo = (days: number): number => now - days * MS_PER_DAY;
const registeredLongAgo = daysAgo(400);

const good: RisingTalentFacts = {
  profileCompletenessPct: 100,
  availabilityUpdatedAt: daysAgo(1),
  proposalsMatchingSkills: true,
  tosViolationAt: [],
  hasJobSuccessScore: false,
  lastActiveAt: daysAgo(2),
};

const missing = (facts: Partial<RisingTalentFacts>, registeredAt = registeredLongAgo): string[] =>
  evaluateRisingTalent({ ...good, ...facts }, now, registeredAt, defaultPolicy).missing;

describe('evaluateRisingTalent', () => {
  it('is eligible when every criterion holds', () => {
    expect(evaluateRisingTalent(good, now, registeredLongAgo, defaultPolicy)).toEqual({
      eligible: true,
      missing: [],
    });
  });

  it('names each unmet criterion', () => {
    expect(missing({ profileCompletenessPct: 99 })).toEqual(['profile_incomplete']);
    expect(missing({ proposalsMatchingSkills: false })).toEqual(['proposals_off_skill']);
    expect(missing({ hasJobSuccessScore: true })).toEqual(['has_job_success_score']);
  });

  it('lists all unmet criteria in a stable order', () => {
    const facts: RisingTalentFacts = {
      profileCompletenessPct: 10,
      availabilityUpdatedAt: null,
      proposalsMatchingSkills: false,
      tosViolationAt: [daysAgo(1)],
      hasJobSuccessScore: true,
      lastActiveAt: null,
    };
    const verdict = evaluateRisingTalent(facts, now, registeredLongAgo, defaultPolicy);
    expect(verdict.eligible).toBe(false);
    expect(verdict.missing).toEqual([
      'profile_incomplete',
      'availability_stale',
      'proposals_off_skill',
      'recent_tos_violation',
      'has_job_success_score',
      'inactive',
    ]);
  });

  it('needs availability updated within the fresh window', () => {
    expect(missing({ availabilityUpdatedAt: null })).toEqual(['availability_stale']);
    expect(missing({ availabilityUpdatedAt: daysAgo(30) })).toEqual(['availability_stale']);
    expect(missing({ availabilityUpdatedAt: daysAgo(30) + 1 })).toEqual([]);
  });

  it('looks back 90 days for violations and ignores reports after now', () => {
    expect(missing({ tosViolationAt: [daysAgo(90) + 1] })).toEqual(['recent_tos_violation']);
    expect(missing({ tosViolationAt: [daysAgo(90)] })).toEqual([]);
    expect(missing({ tosViolationAt: [now] })).toEqual(['recent_tos_violation']);
    expect(missing({ tosViolationAt: [now + 1] })).toEqual([]);
  });

  it('accepts recent activity or a new account', () => {
    expect(missing({ lastActiveAt: daysAgo(90) })).toEqual(['inactive']);
    expect(missing({ lastActiveAt: daysAgo(89) })).toEqual([]);
    expect(missing({ lastActiveAt: null }, daysAgo(29))).toEqual([]);
    expect(missing({ lastActiveAt: null }, daysAgo(30))).toEqual(['inactive']);
  });

  it('follows the policy windows', () => {
    const policy = {
      ...defaultPolicy,
      risingTalent: { ...defaultPolicy.risingTalent, minProfileCompletenessPct: 90 },
    };
    expect(
      evaluateRisingTalent({ ...good, profileCompletenessPct: 90 }, now, registeredLongAgo, policy).eligible,
    ).toBe(true);
  });
});

describe('risingTalentFactsSchema', () => {
  it('accepts well-formed facts and refuses bad ones', () => {
    expect(risingTalentFactsSchema.safeParse(good).success).toBe(true);
    expect(risingTalentFactsSchema.safeParse({ ...good, profileCompletenessPct: 101 }).success).toBe(false);
    expect(risingTalentFactsSchema.safeParse({ ...good, lastActiveAt: 1.5 }).success).toBe(false);
    expect(risingTalentFactsSchema.safeParse({ ...good, extra: true }).success).toBe(false);
    const { hasJobSuccessScore: _, ...withoutJss } = good;
    expect(risingTalentFactsSchema.safeParse(withoutJss).success).toBe(false);
  });
});
