/**
 * Wire shapes the UI reads, as issue 5 and the OpenAPI document describe
 * them. Instants are ISO strings, Connects and money (cents) integers. Fields
 * the UI can live without are optional, so a server that omits one degrades a
 * panel instead of breaking the page.
 */
export type PlanName = 'basic' | 'plus';
export type EntryType =
  | 'grant'
  | 'debit'
  | 'hold'
  | 'hold_release'
  | 'hold_capture'
  | 'refund'
  | 'expiry'
  | 'forfeit'
  | 'adjustment';

export const entryTypes: readonly EntryType[] = [
  'grant',
  'debit',
  'hold',
  'hold_release',
  'hold_capture',
  'refund',
  'expiry',
  'forfeit',
  'adjustment',
];

export type Whoami = { kind: 'admin' } | { kind: 'freelancer'; freelancerId: string };

export interface Freelancer {
  id: string;
  name?: string | null;
  registeredAt: string;
  plan?: PlanName;
  /** The plan from the next renewal, when a downgrade is scheduled. */
  nextPlan?: PlanName | null;
  /** The current billing cycle; `start` may be empty when only the next renewal is known. */
  cycle?: { start: string; end: string };
  /** Whether a card is on file for plan renewals. */
  hasCard?: boolean;
  availabilityBadge?: { on: boolean; weeklyMaxConnects: number | null } | null;
}

export interface Balance {
  asOf?: string;
  balance: number;
  available: number;
  held: number;
  expiringWithin30Days: number;
}

export interface Lot {
  lotId: string;
  source: string;
  category?: 'free' | 'paid';
  amount: number;
  remaining: number;
  issuedAt: string;
  expiresAt: string;
  ref?: string | null;
}

export interface Entry {
  seq: number;
  type: EntryType;
  amount: number;
  balanceBefore?: number;
  balanceAfter?: number;
  /** Holds and releases move only the available balance. */
  availableBefore?: number;
  availableAfter?: number;
  effectiveAt: string;
  ref?: string | null;
  reason?: string | null;
}

export interface EntryPage {
  entries: Entry[];
  nextCursor?: string | null;
}

export interface Purchase {
  purchaseId: string;
  connects: number;
  amountCents?: number;
}

export interface RankedBoost {
  rank: number;
  proposalId: string;
  freelancerId?: string;
  bidConnects: number;
  status: 'held' | 'charged' | 'released';
  boosted?: boolean;
}

export interface BidRange {
  lowCents: number;
  averageCents: number;
  highCents: number;
}

export interface Job {
  id: string;
  clientId: string;
  title?: string | null;
  budgetCents?: number | null;
  hourly?: boolean;
  enterprise?: boolean;
  connectsRequired: number;
  status?: string;
  postedAt?: string;
  auctionClosesAt?: string | null;
  proposalCount?: number;
  ranking?: RankedBoost[];
  /** Only for the admin and Plus members. */
  bidRange?: BidRange | null;
}

export interface ProposalResult {
  proposal: { proposalId: string; jobId: string; freelancerId: string; costConnects?: number };
  /** The boost as it stands after placing it: already `released` when it did not reach the boosted slots. */
  boost: { bidConnects: number; status: 'held' | 'charged' | 'released'; rank: number | null } | null;
}

export interface PromoCode {
  code: string;
  connects: number;
  validFrom: string;
  validUntil: string;
  maxRedemptions: number;
  /** How often the code was redeemed so far. */
  redeemed?: number;
}

export interface Clock {
  now: string;
  manual: boolean;
}

export interface PolicyEra {
  id: string;
  name: string;
  effectiveFrom: string;
  lotLifetime: { kind: string; years?: number; days?: number };
  grants: { signup: number; risingTalent: number; interview: number; certification: number };
  plans: Record<
    PlanName,
    {
      priceCents: number;
      allotment: number;
      rolloverCap: number | null;
      holdingCap: number | null;
      lotLifetime?: { kind: string; years?: number; days?: number };
    }
  >;
  purchase: {
    unitPriceCents: number;
    minConnects: number;
    maxConnects: number;
    bundles: number[];
    plansAllowed: PlanName[];
  };
  rateCard: { tiers: { belowBudgetCents: number | null; connects: number }[]; hourly: number };
  boost: { minBidConnects: number; maxBidConnects: number; slots: number; auctionDays: number };
  availabilityBadge: { weeklyPriceConnects: number };
}

export interface PolicyTimeline {
  now: string;
  current: PolicyEra;
  nextChangeAt: string | null;
  timeline: PolicyEra[];
}

export interface StatsFigures {
  issued: number;
  spent: number;
  refunded?: number;
  expired: number;
  purchaseRevenueCents: number;
  planRevenueCents?: number;
}

export interface StatsPoint extends StatsFigures {
  /** Start of the bucket (a UTC day or month). */
  at: string;
}

export interface Stats {
  asOf?: string;
  bucket?: 'day' | 'month';
  totals: StatsFigures & { outstanding: number };
  series?: StatsPoint[];
}

/** What one scheduler run did (POST /v1/admin/tick); every count is optional to the UI. */
export type SchedulerRun = Partial<Record<string, unknown>> & { now?: string; complete?: boolean };

export interface FreelancerSummary {
  id: string;
  name: string | null;
  plan: PlanName;
  balance: number;
  available: number;
  held: number;
}

export interface IssuedToken {
  token: string;
  tokenId?: string;
  freelancerId: string;
}

export interface DemoAccount {
  label: string;
  token: string;
  kind: 'admin' | 'freelancer';
  freelancerId?: string;
}

/** What changing plan now would grant and cost (GET /v1/freelancers/{id}/plan/preview). */
export interface PlanPreview {
  plan: PlanName;
  change: 'upgrade' | 'downgrade' | 'cancel_downgrade' | 'none';
  effectiveAt: string;
  prorationConnects: number;
  priceCents: number;
  allotmentPerCycle: number;
  renewalPriceCents: number;
  cycle: { start: string; end: string };
  daysLeft: number;
  daysInCycle: number;
}

export interface BadgeState {
  on: boolean;
  weeklyMaxConnects: number;
  weeklyPriceConnects: number;
  nextChargeAt?: string | null;
  offReason?: 'freelancer' | 'price_above_max' | 'insufficient_connects' | null;
}
