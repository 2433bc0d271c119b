import { toIso, type Instant } from '../core/time.ts';

/**
 * What a simulation reports, month by month, for each run. Flows (issued,
 * spent, expired, revenue) are counted in the month their entry takes effect;
 * stocks (outstanding, balances, members) are read at the month's last
 * millisecond.
 */

export const flowFields = [
  'issuedSignup',
  'issuedAllotment',
  'issuedProration',
  'issuedPurchase',
  'issuedInterview',
  'issuedOther',
  'forfeited',
  'spentProposals',
  'spentBoosts',
  'spentBadge',
  'expiredPaid',
  'expiredFree',
  'purchases',
  'purchaseRevenueCents',
  'plusRevenueCents',
  'proposalsWanted',
  'proposalsSent',
  'proposalsBlocked',
] as const;
export const stockFields = [
  'freelancers',
  'plusMembers',
  'outstanding',
  'held',
  'deferredRevenueCents',
  'atZero',
] as const;
export type FlowField = (typeof flowFields)[number];
export type StockField = (typeof stockFields)[number];
export type Counters = Record<FlowField | StockField, number>;

export const emptyCounters = (): Counters =>
  Object.fromEntries([...flowFields, ...stockFields].map((f) => [f, 0])) as Counters;

/** One run's raw tallies: counters and a histogram of month-end balances, per month. */
export class RunTally {
  readonly months: Counters[];
  /** balance -> freelancers holding it at the month's end. */
  readonly balances: Map<number, number>[];

  constructor(months: number) {
    this.months = Array.from({ length: months }, emptyCounters);
    this.balances = Array.from({ length: months }, () => new Map<number, number>());
  }

  add(month: number, field: FlowField | StockField, amount: number): void {
    const counters = this.months[month];
    if (counters !== undefined) counters[field] += amount;
  }

  balance(month: number, balance: number): void {
    const histogram = this.balances[month];
    if (histogram !== undefined) histogram.set(balance, (histogram.get(balance) ?? 0) + 1);
  }

  /** Adds another tally of the same shape (a shard of the population). */
  merge(other: RunTally): void {
    other.months.forEach((counters, m) => {
      for (const [field, value] of Object.entries(counters)) this.add(m, field as FlowField, value);
    });
    other.balances.forEach((histogram, m) => {
      const mine = this.balances[m] as Map<number, number>;
      for (const [balance, count] of histogram) mine.set(balance, (mine.get(balance) ?? 0) + count);
    });
  }
}

/** A month of one run, as the API and CLI return it. */
export interface MonthReport {
  readonly month: number;
  readonly start: string;
  readonly issued: {
    readonly signup: number;
    readonly allotment: number;
    readonly proration: number;
    readonly purchase: number;
    readonly interview: number;
    readonly other: number;
    readonly total: number;
  };
  readonly forfeited: number;
  readonly spent: {
    readonly proposals: number;
    readonly boosts: number;
    readonly badge: number;
    readonly total: number;
  };
  readonly expired: { readonly paid: number; readonly free: number; readonly total: number };
  readonly outstanding: number;
  readonly held: number;
  readonly money: {
    readonly purchaseRevenueCents: number;
    readonly plusRevenueCents: number;
    readonly deferredRevenueCents: number;
  };
  readonly harm: {
    readonly proposalsWanted: number;
    readonly proposalsSent: number;
    readonly proposalsBlocked: number;
    readonly freelancersAtZero: number;
    /** freelancersAtZero / freelancers, rounded to 4 decimals. */
    readonly shareAtZero: number;
    readonly medianBalance: number;
    readonly p90Balance: number;
  };
  readonly freelancers: number;
  readonly plusMembers: number;
  readonly purchases: number;
}

/** Nearest-rank percentile of a histogram of whole numbers. */
export function percentile(histogram: Map<number, number>, p: number): number {
  let total = 0;
  for (const count of histogram.values()) total += count;
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const value of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(value) as number;
    if (seen >= rank) return value;
  }
  return 0;
}

export function monthReport(c: Counters, histogram: Map<number, number>, month: number, start: Instant) {
  const issued = {
    signup: c.issuedSignup,
    allotment: c.issuedAllotment,
    proration: c.issuedProration,
    purchase: c.issuedPurchase,
    interview: c.issuedInterview,
    other: c.issuedOther,
  };
  const spent = { proposals: c.spentProposals, boosts: c.spentBoosts, badge: c.spentBadge };
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const report: MonthReport = {
    month: month + 1,
    start: toIso(start),
    issued: { ...issued, total: sum(issued) },
    forfeited: c.forfeited,
    spent: { ...spent, total: sum(spent) },
    expired: { paid: c.expiredPaid, free: c.expiredFree, total: c.expiredPaid + c.expiredFree },
    outstanding: c.outstanding,
    held: c.held,
    money: {
      purchaseRevenueCents: c.purchaseRevenueCents,
      plusRevenueCents: c.plusRevenueCents,
      deferredRevenueCents: c.deferredRevenueCents,
    },
    harm: {
      proposalsWanted: c.proposalsWanted,
      proposalsSent: c.proposalsSent,
      proposalsBlocked: c.proposalsBlocked,
      freelancersAtZero: c.atZero,
      shareAtZero: c.freelancers === 0 ? 0 : Math.round((c.atZero / c.freelancers) * 10_000) / 10_000,
      medianBalance: percentile(histogram, 0.5),
      p90Balance: percentile(histogram, 0.9),
    },
    freelancers: c.freelancers,
    plusMembers: c.plusMembers,
    purchases: c.purchases,
  };
  return report;
}

export function runReport(tally: RunTally, monthStarts: readonly Instant[]): MonthReport[] {
  return tally.months.map((c, m) =>
    monthReport(c, tally.balances[m] as Map<number, number>, m, monthStarts[m] as Instant),
  );
}

/** candidate - baseline on every number (month and start are kept). */
export function difference<T>(candidate: T, baseline: T): T {
  if (typeof candidate === 'number' && typeof baseline === 'number') {
    return (Math.round((candidate - baseline) * 10_000) / 10_000) as T;
  }
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof baseline === 'object' &&
    baseline !== null
  ) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(candidate)) {
      const base = (baseline as Record<string, unknown>)[key];
      out[key] = key === 'month' || key === 'start' ? value : difference(value, base);
    }
    return out as T;
  }
  return candidate;
}

/** Flattens a month report into dotted columns (issued.signup, ...), in a fixed order. */
export function flatten(value: unknown, prefix = '', out: Record<string, string | number> = {}) {
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else out[prefix] = value as string | number;
  return out;
}
