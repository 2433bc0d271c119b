import { z } from 'zod';

/**
 * The behaviour of a synthetic population: every number has a documented
 * default (docs/simulator.md), and none depends on the policy, so the
 * baseline and the candidate face the same freelancers doing the same
 * things. Probabilities are per freelancer and month unless said otherwise.
 */

/** Largest population one simulation may run. */
export const MAX_FREELANCERS = 1_000_000;
export const MAX_MONTHS = 36;

const share = z.number().min(0).max(1);

const budgetSchema = z.strictObject({
  /** The client's budget in cents; null for an hourly job. */
  budgetCents: z.int().min(0).max(100_000_000).nullable(),
  weight: z.number().min(0).max(1_000),
});

const bundleSchema = z.strictObject({
  connects: z.int().min(1).max(1_000_000),
  weight: z.number().min(0).max(1_000),
});

export const populationParamsSchema = z.strictObject({
  /** Synthetic freelancers (a snapshot uses the live accounts instead). */
  freelancers: z.int().min(1).max(MAX_FREELANCERS).optional(),
  /** Share of freelancers who take Freelancer Plus when they join. */
  plusShare: share.optional(),
  /**
   * Proposals a freelancer wants to send in a month: a Poisson draw around the
   * freelancer's own rate, which is log-normal across freelancers (most apply
   * a little, a few a lot): median `median`, spread `sigma`, capped at `max`.
   */
  proposalsPerMonth: z
    .strictObject({
      median: z.number().min(0).max(100).optional(),
      sigma: z.number().min(0).max(3).optional(),
      max: z.int().min(0).max(300).optional(),
    })
    .optional(),
  /** Budgets of the jobs they apply to (so the rate card matters). */
  jobBudgets: z.array(budgetSchema).min(1).max(20).optional(),
  boost: z
    .strictObject({
      /** Share of freelancers who ever boost. */
      share: share.optional(),
      /** Chance that such a freelancer boosts a given proposal. */
      probability: share.optional(),
      /** Bid in Connects, uniform in min..max (then bounded by the policy). */
      minBid: z.int().min(1).max(1_000).optional(),
      maxBid: z.int().min(1).max(1_000).optional(),
    })
    .optional(),
  /** Chance that a proposal leads to an interview, and the delay in days. */
  interview: z
    .strictObject({
      rate: share.optional(),
      minDays: z.int().min(0).max(60).optional(),
      maxDays: z.int().min(0).max(60).optional(),
    })
    .optional(),
  buying: z
    .strictObject({
      /** Share of freelancers who ever buy Connects. */
      buyerShare: share.optional(),
      /** Chance that a buyer buys when the balance cannot pay the next proposal. */
      probability: share.optional(),
      /** The amount a buyer prefers (the policy's smallest bundle covering it, at least the shortfall). */
      bundles: z.array(bundleSchema).min(1).max(20).optional(),
    })
    .optional(),
  plans: z
    .strictObject({
      /** Chance per month that a Basic member upgrades to Plus. */
      upgrade: share.optional(),
      /** Chance per month that a Plus member downgrades. */
      downgrade: share.optional(),
    })
    .optional(),
  /** The "Available now" badge, charged weekly in Connects while on. */
  badge: z
    .strictObject({
      /** Share of freelancers who ever use the badge. */
      share: share.optional(),
      /** Chance per month that such a freelancer switches it on (when off). */
      onProbability: share.optional(),
      /** Chance per month that they switch it off (when on); the two never happen in one month. */
      offProbability: share.optional(),
      /** The most they pay a week, uniform in min..max (a higher price is refused or switches it off). */
      minWeeklyMax: z.int().min(0).max(1_000).optional(),
      maxWeeklyMax: z.int().min(0).max(1_000).optional(),
    })
    .optional(),
  /** Chance per month that a freelancer stops applying for good (a Plus member also downgrades, a badge goes off). */
  churn: share.optional(),
});
export type PopulationParamsInput = z.infer<typeof populationParamsSchema>;

export interface PopulationParams {
  readonly freelancers: number;
  readonly plusShare: number;
  readonly proposalsPerMonth: { readonly median: number; readonly sigma: number; readonly max: number };
  readonly jobBudgets: readonly { readonly budgetCents: number | null; readonly weight: number }[];
  readonly boost: {
    readonly share: number;
    readonly probability: number;
    readonly minBid: number;
    readonly maxBid: number;
  };
  readonly interview: { readonly rate: number; readonly minDays: number; readonly maxDays: number };
  readonly buying: {
    readonly buyerShare: number;
    readonly probability: number;
    readonly bundles: readonly { readonly connects: number; readonly weight: number }[];
  };
  readonly plans: { readonly upgrade: number; readonly downgrade: number };
  readonly badge: {
    readonly share: number;
    readonly onProbability: number;
    readonly offProbability: number;
    readonly minWeeklyMax: number;
    readonly maxWeeklyMax: number;
  };
  readonly churn: number;
}

export const defaultPopulationParams: PopulationParams = {
  freelancers: 10_000,
  plusShare: 0.1,
  proposalsPerMonth: { median: 3, sigma: 1, max: 60 },
  jobBudgets: [
    { budgetCents: 2_500, weight: 20 },
    { budgetCents: 25_000, weight: 35 },
    { budgetCents: 75_000, weight: 15 },
    { budgetCents: 250_000, weight: 10 },
    { budgetCents: null, weight: 20 },
  ],
  boost: { share: 0.2, probability: 0.5, minBid: 1, maxBid: 16 },
  interview: { rate: 0.15, minDays: 1, maxDays: 6 },
  buying: {
    buyerShare: 0.4,
    probability: 0.7,
    bundles: [
      { connects: 10, weight: 30 },
      { connects: 20, weight: 30 },
      { connects: 40, weight: 25 },
      { connects: 80, weight: 15 },
    ],
  },
  plans: { upgrade: 0.02, downgrade: 0.05 },
  badge: { share: 0.05, onProbability: 0.5, offProbability: 0.25, minWeeklyMax: 3, maxWeeklyMax: 15 },
  churn: 0.03,
};

/** The defaults with what the caller set laid over them. */
export function resolveParams(input: PopulationParamsInput = {}): PopulationParams {
  const d = defaultPopulationParams;
  return {
    freelancers: input.freelancers ?? d.freelancers,
    plusShare: input.plusShare ?? d.plusShare,
    proposalsPerMonth: { ...d.proposalsPerMonth, ...defined(input.proposalsPerMonth) },
    jobBudgets: input.jobBudgets ?? d.jobBudgets,
    boost: { ...d.boost, ...defined(input.boost) },
    interview: { ...d.interview, ...defined(input.interview) },
    buying: { ...d.buying, ...defined(input.buying) },
    plans: { ...d.plans, ...defined(input.plans) },
    badge: { ...d.badge, ...defined(input.badge) },
    churn: input.churn ?? d.churn,
  };
}

/** Drops the fields set to undefined, so they do not hide a default. */
function defined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
