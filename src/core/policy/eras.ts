import { assert } from '../errors.ts';
import { parsePolicy, type Policy, type PolicyInput } from './schema.ts';

/**
 * The four eras of rules.md 6, from Upwork's public help pages. Upwork never
 * published every number for the older eras; where an era lacks a fact it
 * reuses the 2023 value, and the comment at that field says so.
 */

const oneYear = { kind: 'calendar_years', years: 1 } as const;

/** 2023-01-18 onwards: the default policy (rules.md 2, 3, 5). */
const era2023: PolicyInput = {
  id: 'era-2023',
  name: '2023 (default): one-year lifetime, no caps',
  effectiveFrom: '2023-01-18T00:00:00.000Z',
  lotLifetime: oneYear,
  grants: {
    signup: 40,
    risingTalent: 30,
    interview: 10,
    interviewWeeklyCap: 50,
    interviewWindowDays: 7,
    // Assumed: Upwork never published the certification reward (rules.md 2.4).
    certification: 10,
  },
  plans: {
    basic: { priceCents: 0, allotment: 10, rolloverCap: null, holdingCap: null },
    plus: { priceCents: 1499, allotment: 80, rolloverCap: null, holdingCap: null },
  },
  purchase: {
    unitPriceCents: 15,
    minConnects: 10,
    // Our choice: the spec only says "a per-purchase maximum".
    maxConnects: 1000,
    bundles: [10, 20, 40, 60, 80],
    plansAllowed: ['basic', 'plus'],
  },
  rateCard: {
    tiers: [
      { belowBudgetCents: 5_000, connects: 2 },
      { belowBudgetCents: 50_000, connects: 4 },
      { belowBudgetCents: 100_000, connects: 6 },
      { belowBudgetCents: null, connects: 8 },
    ],
    hourly: 8,
  },
  // maxBidConnects is our limit on one boost bid; the spec sets only the minimum.
  boost: { minBidConnects: 1, maxBidConnects: 50, slots: 4, auctionDays: 7, opensToEnd: 3, viewsToEnd: 5 },
  // Our default price; operators change it at run time (rules.md 5.4).
  availabilityBadge: { weeklyPriceConnects: 5 },
  refundMode: 'reinstate',
  consumptionOrder: 'soonest_expiry',
  risingTalent: {
    minProfileCompletenessPct: 100,
    activityDays: 90,
    newAccountDays: 30,
    tosLookbackDays: 90,
    // "Availability updated recently": we read "recently" as within 30 days.
    availabilityFreshDays: 30,
  },
  expiringSoonDays: [30, 7],
};

/**
 * 2021-12-01: the rollover cap rises to 200, signup to 40, Basic gets 10 and
 * Plus 80. The table gives the cap without a plan, so it applies to both.
 * Rewards, rate card, boosts, badge and Rising Talent rules reuse 2023 values.
 */
const era2021: PolicyInput = {
  ...era2023,
  id: 'era-2021',
  name: '2021: one-year lifetime, rollover cap 200',
  effectiveFrom: '2021-12-01T00:00:00.000Z',
  plans: {
    basic: { priceCents: 0, allotment: 10, rolloverCap: 200, holdingCap: null },
    // Plus price reuses the 2023 value.
    plus: { priceCents: 1499, allotment: 80, rolloverCap: 200, holdingCap: null },
  },
};

/**
 * 2019-05-01: Connects start to expire one year after issue; signup 20,
 * Basic 0 per cycle, Plus 70, rollover cap 140 (applied to both plans, as
 * above). Anything else reuses the 2023 value.
 */
const era2019: PolicyInput = {
  ...era2023,
  id: 'era-2019',
  name: '2019: one-year lifetime, rollover cap 140',
  effectiveFrom: '2019-05-01T00:00:00.000Z',
  grants: { ...era2023.grants, signup: 20 },
  plans: {
    basic: { priceCents: 0, allotment: 0, rolloverCap: 140, holdingCap: null },
    // Plus price reuses the 2023 value.
    plus: { priceCents: 1499, allotment: 70, rolloverCap: 140, holdingCap: null },
  },
};

/**
 * Legacy (before 2019-05): Basic got 60 per cycle that lapsed at the end of
 * the cycle; Plus got 70 per cycle, rolled over up to 140 and held at most
 * 350, for $10.00 a cycle. Only Plus members could buy, at $1.00 each, in
 * bundles of 5 or more. Assumptions: no signup grant ("-" in the table);
 * everything else that is not a lifetime, a cap or a price above (the
 * default one-year lifetime of non-allotment lots, rewards, rate card,
 * boosts, badge, Rising Talent rules, the per-purchase maximum) reuses the
 * 2023 value. The start date is nominal: it only needs to precede 2019.
 */
const eraLegacy: PolicyInput = {
  ...era2023,
  id: 'era-legacy',
  name: 'Legacy: Basic lapses each cycle, Plus capped',
  effectiveFrom: '2008-01-01T00:00:00.000Z',
  grants: { ...era2023.grants, signup: 0 },
  plans: {
    basic: {
      priceCents: 0,
      allotment: 60,
      rolloverCap: null,
      holdingCap: null,
      lotLifetime: { kind: 'end_of_cycle' },
    },
    plus: { priceCents: 1000, allotment: 70, rolloverCap: 140, holdingCap: 350 },
  },
  purchase: {
    unitPriceCents: 100,
    minConnects: 5,
    maxConnects: 1000,
    bundles: [5, 10, 20, 40, 60, 80],
    plansAllowed: ['plus'],
  },
};

function validated(input: PolicyInput): Policy {
  const parsed = parsePolicy(input);
  assert(parsed.ok, `built-in policy ${input.id} is invalid: ${parsed.ok ? '' : parsed.error.message}`);
  return deepFreeze(parsed.value);
}

/** Built-in policies are shared by every caller, so nobody may mutate them. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The shipped eras, oldest first. */
export const eras: readonly Policy[] = Object.freeze([eraLegacy, era2019, era2021, era2023].map(validated));

/** The 2023 policy: the default for a new deployment. */
export const defaultPolicy: Policy = eras[eras.length - 1] as Policy;
