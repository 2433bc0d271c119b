import { assert } from '../errors.ts';
import type { Policy } from './schema.ts';

/** What the rate card needs to know about a job (rules.md 5.1). */
export interface JobPricing {
  /** The client's budget in cents; null or absent when the job states none. */
  readonly budgetCents?: number | null;
  readonly hourly?: boolean;
  /** An explicit price set on the job; wins over the rate card, 0 allowed. */
  readonly connectsRequired?: number | null;
  /** Enterprise (talent cloud) jobs cost nothing to apply to (rules.md 5.2). */
  readonly enterprise?: boolean;
}

/**
 * The Connects a proposal to this job costs. Free paths that depend on how
 * the freelancer applies (invitation, direct offer, catalog purchase) are
 * decided by the caller; enterprise is a property of the job, so it is here.
 */
export function connectsRequired(job: JobPricing, policy: Policy): number {
  if (job.enterprise === true) return 0;
  if (job.connectsRequired !== undefined && job.connectsRequired !== null) {
    assert(
      Number.isSafeInteger(job.connectsRequired) && job.connectsRequired >= 0,
      'explicit price must be a count',
    );
    return job.connectsRequired;
  }
  if (job.hourly === true) return policy.rateCard.hourly;
  const tiers = policy.rateCard.tiers;
  const budget = job.budgetCents;
  // Without a budget the job could be of any size: charge the top tier.
  if (budget === undefined || budget === null) return highestTierPrice(policy);
  assert(Number.isSafeInteger(budget) && budget >= 0, 'budgetCents must be a non-negative integer');
  const tier = tiers.find((t) => t.belowBudgetCents === null || budget < t.belowBudgetCents);
  assert(tier !== undefined, 'the schema guarantees an open-ended last tier');
  return tier.connects;
}

function highestTierPrice(policy: Policy): number {
  return Math.max(...policy.rateCard.tiers.map((t) => t.connects));
}
