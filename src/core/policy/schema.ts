import { z } from 'zod';
import { connectsError, err, ok, type Result } from '../errors.ts';
import { parseInstant } from '../time.ts';

/**
 * A policy is data: every number the spec marks as a default is a field here,
 * validated once and then trusted by the pure rules. Objects are strict so a
 * misspelt field is refused instead of silently ignored.
 */

const count = z.int().min(0);
const positive = z.int().min(1);

/** How long a lot lives after it is issued (rules.md 1.2, 1.9). */
export const lotLifetimeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('calendar_years'), years: positive.max(100) }),
  z.strictObject({ kind: z.literal('days'), days: positive.max(36_600) }),
  // Expires when the billing cycle it was issued in ends (legacy Basic allotments).
  z.strictObject({ kind: z.literal('end_of_cycle') }),
]);
export type LotLifetime = z.infer<typeof lotLifetimeSchema>;

export const planNames = ['basic', 'plus'] as const;
export type PlanName = (typeof planNames)[number];

const planSchema = z.strictObject({
  priceCents: count,
  /** Connects issued at the start of each billing cycle. */
  allotment: count,
  /** At each renewal, Connects above this expire (null: no cap). */
  rolloverCap: count.nullable(),
  /** A grant that would lift the balance above this is truncated (null: no cap). */
  holdingCap: count.nullable(),
  /** Lifetime of this plan's allotments; the policy's lotLifetime when absent. */
  lotLifetime: lotLifetimeSchema.optional(),
});
export type Plan = z.infer<typeof planSchema>;

/**
 * How an upgrade to Plus mid-cycle is billed (rules.md 3.2): `prorate` charges the
 * price on the same fraction as the prorated Connects and keeps the anchor;
 * `restart_cycle` starts a new cycle at the upgrade (full price, full
 * allotment, next renewal a cycle later).
 */
export const upgradeBillings = ['prorate', 'restart_cycle'] as const;
export type UpgradeBilling = (typeof upgradeBillings)[number];

const plusPlanSchema = planSchema.extend({
  upgradeBilling: z.enum(upgradeBillings).default('prorate'),
});

const utcDateTime = z.iso
  .datetime()
  .refine(
    (text) => parseInstant(text) !== undefined,
    'must be an ISO date-time in UTC with millisecond precision',
  );

export const policySchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  effectiveFrom: utcDateTime,
  /** Default lifetime of every lot (signup, rewards, purchases, promo codes without their own). */
  lotLifetime: lotLifetimeSchema,
  grants: z.strictObject({
    signup: count,
    risingTalent: count,
    interview: count,
    /** Interview rewards in the rolling window never exceed this. */
    interviewWeeklyCap: count,
    /** Length of that rolling window, in days. */
    interviewWindowDays: positive.max(366),
    certification: count,
  }),
  plans: z.strictObject({ basic: planSchema, plus: plusPlanSchema }),
  purchase: z
    .strictObject({
      unitPriceCents: count,
      minConnects: positive,
      maxConnects: positive.max(1_000_000),
      bundles: z.array(positive).max(20),
      plansAllowed: z.array(z.enum(planNames)).max(planNames.length),
    })
    .superRefine((purchase, ctx) => checkPurchase(purchase, issuer(ctx))),
  rateCard: z.strictObject({
    /** Ascending; a budget below `belowBudgetCents` costs `connects`; the last tier (null) catches the rest. */
    tiers: z
      .array(z.strictObject({ belowBudgetCents: positive.nullable(), connects: count }))
      .min(1)
      .max(20)
      .superRefine((tiers, ctx) => checkTiers(tiers, issuer(ctx))),
    hourly: count,
  }),
  boost: z
    .strictObject({
      minBidConnects: positive,
      maxBidConnects: positive,
      slots: positive.max(100),
      auctionDays: positive.max(365),
      /** A charged boost stops being shown as boosted after this many opens... */
      opensToEnd: positive,
      /** ...or this many views without further action. */
      viewsToEnd: positive,
    })
    .superRefine((boost, ctx) => {
      if (boost.minBidConnects > boost.maxBidConnects) {
        ctx.addIssue({
          code: 'custom',
          path: ['minBidConnects'],
          message: 'must not exceed boost.maxBidConnects',
        });
      }
    }),
  availabilityBadge: z.strictObject({ weeklyPriceConnects: count.max(1_000) }),
  refundMode: z.enum(['reinstate', 'fresh_lot']),
  consumptionOrder: z.literal('soonest_expiry'),
  risingTalent: z.strictObject({
    minProfileCompletenessPct: z.int().min(0).max(100),
    activityDays: positive,
    newAccountDays: positive,
    tosLookbackDays: positive,
    availabilityFreshDays: positive,
  }),
  /** Days ahead of expiry at which an "expiring soon" event is sent. */
  expiringSoonDays: z
    .array(positive.max(366))
    .max(10)
    .superRefine((days, ctx) => {
      if (new Set(days).size !== days.length) ctx.addIssue({ code: 'custom', message: 'must be distinct' });
    }),
});

export type Policy = z.infer<typeof policySchema>;
/** What a caller may write: the same shape before validation. */
export type PolicyInput = z.input<typeof policySchema>;
export type RateTier = Policy['rateCard']['tiers'][number];

/**
 * Rules across fields live on the smallest object holding those fields, not on
 * the whole policy: zod runs a refinement only once its object parsed, so one
 * bad field elsewhere never hides them (every problem is reported at once).
 */
type Issue = (path: PropertyKey[], message: string) => void;
const issuer =
  (ctx: z.RefinementCtx): Issue =>
  (path, message) =>
    ctx.addIssue({ code: 'custom', path, message });

interface PurchaseRules {
  readonly minConnects: number;
  readonly maxConnects: number;
  readonly bundles: readonly number[];
  readonly plansAllowed: readonly string[];
}

function checkPurchase(purchase: PurchaseRules, issue: Issue): void {
  if (purchase.minConnects > purchase.maxConnects)
    issue(['minConnects'], 'must not exceed purchase.maxConnects');
  purchase.bundles.forEach((bundle, i) => {
    if (bundle < purchase.minConnects || bundle > purchase.maxConnects) {
      issue(['bundles', i], 'must lie within minConnects..maxConnects');
    }
  });
  if (new Set(purchase.bundles).size !== purchase.bundles.length) issue(['bundles'], 'must be distinct');
  if (new Set(purchase.plansAllowed).size !== purchase.plansAllowed.length) {
    issue(['plansAllowed'], 'must be distinct');
  }
}

function checkTiers(tiers: readonly { belowBudgetCents: number | null }[], issue: Issue): void {
  tiers.forEach((tier, i) => {
    const last = i === tiers.length - 1;
    const path = [i, 'belowBudgetCents'];
    if (last && tier.belowBudgetCents !== null) issue(path, 'the last tier must be open-ended (null)');
    if (!last && tier.belowBudgetCents === null) issue(path, 'only the last tier may be open-ended (null)');
    const previous = i > 0 ? tiers[i - 1]?.belowBudgetCents : undefined;
    if (tier.belowBudgetCents !== null && previous !== undefined && previous !== null) {
      if (tier.belowBudgetCents <= previous) issue(path, 'tiers must be strictly ascending');
    }
  });
}

/** Validates untrusted policy data; the error lists every problem with its field path. */
export function parsePolicy(input: unknown): Result<Policy> {
  const parsed = policySchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
  // The message stays short; `details.issues` carries the full list.
  const shown = issues.slice(0, 5).map((i) => `${i.path || '(policy)'}: ${i.message}`);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  const summary = shown.join('; ') + more;
  return err(connectsError('validation_failed', `Invalid policy: ${summary}`, { issues }));
}
