import type { BidRange, Entry, EntryPage, Freelancer, Job, Lot, RankedBoost } from './types.ts';

/**
 * The API's job and freelancer views nest and name a few things differently
 * from what the screens read (`job.jobId`, `{ job, ranking, bidRange }`,
 * `pendingPlan`, `nextCycleAt`); these functions take either form, so a
 * rename on the server degrades nothing.
 */
type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;

/** Instants arrive as ISO strings (or, from an older server, epoch milliseconds). */
export function iso(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return new Date(v).toISOString();
  return undefined;
}

function bidRange(v: unknown): BidRange | null {
  if (!isRecord(v)) return null;
  const low = int(v.lowCents);
  const average = int(v.averageCents);
  const high = int(v.highCents);
  if (low === undefined || average === undefined || high === undefined) return null;
  return { lowCents: low, averageCents: average, highCents: high };
}

function ranking(v: unknown): RankedBoost[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((r, i) => ({
    rank: int(r.rank) ?? i + 1,
    proposalId: str(r.proposalId) ?? '',
    ...(str(r.freelancerId) === undefined ? {} : { freelancerId: str(r.freelancerId) as string }),
    bidConnects: int(r.bidConnects) ?? 0,
    status: r.status === 'charged' ? 'charged' : r.status === 'released' ? 'released' : 'held',
    boosted: r.boosted !== false,
  }));
}

export function normalizeJob(raw: unknown): Job {
  const outer = isRecord(raw) ? raw : {};
  const j = isRecord(outer.job) ? outer.job : outer;
  const auction = isRecord(j.auction) ? j.auction : {};
  const budget = j.budgetCents;
  return {
    id: str(j.id) ?? str(j.jobId) ?? '',
    clientId: str(j.clientId) ?? '',
    title: str(j.title) ?? null,
    budgetCents: int(budget) ?? null,
    hourly: j.hourly === true,
    enterprise: j.enterprise === true,
    connectsRequired: int(j.connectsRequired) ?? 0,
    status: str(j.status) ?? 'open',
    ...(iso(j.postedAt) === undefined ? {} : { postedAt: iso(j.postedAt) as string }),
    auctionClosesAt:
      iso(j.auctionClosesAt) ?? (auction.closedAt == null ? (iso(auction.closesAt) ?? null) : null),
    ...(int(j.proposalCount) === undefined ? {} : { proposalCount: int(j.proposalCount) as number }),
    ranking: ranking(outer.ranking ?? j.ranking),
    bidRange: bidRange(outer.bidRange ?? j.bidRange),
  };
}

export function normalizeJobs(raw: unknown): { jobs: Job[]; nextCursor: string | null } {
  const r = isRecord(raw) ? raw : {};
  const list = Array.isArray(r.jobs) ? r.jobs : [];
  return { jobs: list.map(normalizeJob), nextCursor: str(r.nextCursor) ?? null };
}

export function normalizeFreelancer(raw: unknown): Freelancer {
  const outer = isRecord(raw) ? raw : {};
  const f = isRecord(outer.freelancer) ? outer.freelancer : outer;
  const plan = f.plan === 'plus' ? 'plus' : 'basic';
  const pending = isRecord(f.pendingPlanChange) ? f.pendingPlanChange.plan : undefined;
  const next = f.nextPlan ?? f.pendingPlan ?? pending;
  const cycle = isRecord(f.cycle) ? f.cycle : undefined;
  const cycleStart = iso(cycle?.start);
  const cycleEnd = iso(cycle?.end) ?? iso(f.nextCycleAt) ?? iso(f.nextAllotmentAt);
  const badge = isRecord(f.availabilityBadge) ? f.availabilityBadge : undefined;
  return {
    id: str(f.id) ?? str(f.freelancerId) ?? '',
    name: str(f.name) ?? null,
    registeredAt: iso(f.registeredAt) ?? new Date(0).toISOString(),
    plan,
    nextPlan: next === 'plus' || next === 'basic' ? next : null,
    ...(cycleEnd === undefined ? {} : { cycle: { start: cycleStart ?? '', end: cycleEnd } }),
    hasCard: f.hasCard === true || typeof f.card === 'string',
    availabilityBadge:
      badge === undefined
        ? null
        : { on: badge.on === true, weeklyMaxConnects: int(badge.weeklyMaxConnects) ?? null },
  };
}

/** Lots are keyed by `lotNo` on the wire (per account); instants may be ISO or epoch. */
export function normalizeLots(raw: unknown): { lots: Lot[] } {
  const r = isRecord(raw) ? raw : {};
  const list = Array.isArray(r.lots) ? r.lots.filter(isRecord) : [];
  return {
    lots: list.map((l) => ({
      lotId: str(l.lotId) ?? String(int(l.lotNo) ?? ''),
      source: str(l.source) ?? 'unknown',
      category: l.category === 'paid' ? 'paid' : 'free',
      amount: int(l.amount) ?? 0,
      remaining: int(l.remaining) ?? 0,
      issuedAt: iso(l.issuedAt) ?? '',
      expiresAt: iso(l.expiresAt) ?? '',
      ref: str(l.ref) ?? null,
    })),
  };
}

export function normalizeEntries(raw: unknown): EntryPage {
  const r = isRecord(raw) ? raw : {};
  const list = Array.isArray(r.entries) ? r.entries.filter(isRecord) : [];
  const optional = (key: string, v: unknown) => (int(v) === undefined ? {} : { [key]: int(v) as number });
  return {
    entries: list.map((e): Entry => ({
      seq: int(e.seq) ?? 0,
      type: (str(e.type) ?? 'adjustment') as Entry['type'],
      amount: int(e.amount) ?? 0,
      ...optional('balanceBefore', e.balanceBefore),
      ...optional('balanceAfter', e.balanceAfter),
      ...optional('availableBefore', e.availableBefore),
      ...optional('availableAfter', e.availableAfter),
      effectiveAt: iso(e.effectiveAt) ?? iso(e.recordedAt) ?? '',
      ref: str(e.ref) ?? null,
      reason: str(e.reason) ?? null,
    })),
    nextCursor: str(r.nextCursor) ?? null,
  };
}
