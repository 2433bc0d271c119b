import { z } from 'zod';
import { MS_PER_DAY, type Instant } from '../time.ts';
import type { Policy } from './schema.ts';

/** Why a freelancer is not (yet) eligible for the Rising Talent badge (rules.md 2.8). */
export const risingTalentCriteria = [
  'profile_incomplete',
  'availability_stale',
  'proposals_off_skill',
  'recent_tos_violation',
  'has_job_success_score',
  'inactive',
] as const;
export type Criterion = (typeof risingTalentCriteria)[number];

const instant = z.int().min(0);

/** Facts the marketplace reports about a freelancer; validated at the edge. */
export const risingTalentFactsSchema = z.strictObject({
  profileCompletenessPct: z.int().min(0).max(100),
  availabilityUpdatedAt: instant.nullable(),
  proposalsMatchingSkills: z.boolean(),
  // Bounded: only violations inside the lookback window matter.
  tosViolationAt: z.array(instant).max(1000),
  hasJobSuccessScore: z.boolean(),
  lastActiveAt: instant.nullable(),
});
export type RisingTalentFacts = z.infer<typeof risingTalentFactsSchema>;

export interface RisingTalentVerdict {
  readonly eligible: boolean;
  /** Unmet criteria, in the order of risingTalentCriteria. */
  readonly missing: Criterion[];
}

/**
 * Windows are (now - days, now]: a fact dated in the future of `now` does not
 * count yet, so evaluating "as of" a past instant ignores later reports.
 */
function within(t: Instant | null, now: Instant, days: number): boolean {
  return t !== null && t <= now && t > now - days * MS_PER_DAY;
}

export function evaluateRisingTalent(
  facts: RisingTalentFacts,
  now: Instant,
  registeredAt: Instant,
  policy: Policy,
): RisingTalentVerdict {
  const rules = policy.risingTalent;
  const unmet: Record<Criterion, boolean> = {
    profile_incomplete: facts.profileCompletenessPct < rules.minProfileCompletenessPct,
    availability_stale: !within(facts.availabilityUpdatedAt, now, rules.availabilityFreshDays),
    proposals_off_skill: !facts.proposalsMatchingSkills,
    recent_tos_violation: facts.tosViolationAt.some((t) => within(t, now, rules.tosLookbackDays)),
    has_job_success_score: facts.hasJobSuccessScore,
    inactive:
      !within(facts.lastActiveAt, now, rules.activityDays) &&
      !within(registeredAt, now, rules.newAccountDays),
  };
  const missing = risingTalentCriteria.filter((c) => unmet[c]);
  return { eligible: missing.length === 0, missing };
}
