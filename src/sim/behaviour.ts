import { connectsRequired } from '../core/policy/rate-card.ts';
import type { PlanName, Policy } from '../core/policy/schema.ts';
import type { FreelancerScript, ProposeEvent } from './script.ts';

/**
 * The decisions a simulated freelancer takes from what the ledger shows
 * them. Shared by the simulator's engine and by the service replay of the
 * truth check, so the two can only differ where the ledger does.
 */

export interface ProposalDecision {
  /** The job's price under the policy in force when it is posted. */
  readonly price: number;
  /** Connects bought first (0: none). */
  readonly buy: number;
  /** Boost bid placed with the proposal (0: none). */
  readonly boost: number;
  /** The freelancer wanted to apply but could not pay. */
  readonly blocked: boolean;
}

/**
 * How much a buyer buys to cover a shortfall: the smallest bundle of the
 * policy covering both the shortfall and their preferred amount, else that
 * amount itself, within the policy's minimum and maximum.
 */
export function purchaseAmount(policy: Policy, preferred: number, shortfall: number): number {
  const want = Math.max(preferred, shortfall);
  const bundle = [...policy.purchase.bundles].sort((a, b) => a - b).find((b) => b >= want);
  const amount = Math.max(bundle ?? want, policy.purchase.minConnects);
  return Math.min(amount, policy.purchase.maxConnects);
}

export function decideProposal(
  script: FreelancerScript,
  event: ProposeEvent,
  policy: Policy,
  plan: PlanName,
  available: number,
): ProposalDecision {
  const price = connectsRequired(
    event.budgetCents === null ? { hourly: true } : { budgetCents: event.budgetCents },
    policy,
  );
  let buy = 0;
  let funds = available;
  if (funds < price && event.buyDraw < script.buyProbability && policy.purchase.plansAllowed.includes(plan)) {
    buy = purchaseAmount(policy, script.preferredBundle, price - funds);
    funds += buy;
  }
  if (funds < price) return { price, buy, boost: 0, blocked: true };
  const rules = policy.boost;
  const bid = event.bid === 0 ? 0 : Math.min(rules.maxBidConnects, Math.max(rules.minBidConnects, event.bid));
  return { price, buy, boost: bid > 0 && funds - price >= bid ? bid : 0, blocked: false };
}
