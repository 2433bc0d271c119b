import type { Lot } from '../api/types.ts';

/**
 * Connects still spendable that expire in each of the next `months` UTC
 * calendar months (the current month first). The default 13 spans a whole
 * year ahead: a lot issued now expires in this month next year. Used lots and
 * lots already expired at `now` count for nothing.
 */
export function expiringByMonth(
  lots: readonly Lot[],
  now: number,
  months = 13,
): { start: number; connects: number }[] {
  const d = new Date(now);
  const starts = Array.from({ length: months + 1 }, (_, i) =>
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, 1),
  );
  const buckets = starts.slice(0, months).map((start) => ({ start, connects: 0 }));
  for (const lot of lots) {
    const expiresAt = Date.parse(lot.expiresAt);
    if (lot.remaining <= 0 || Number.isNaN(expiresAt) || expiresAt <= now) continue;
    const i = starts.findIndex((start, k) => expiresAt >= start && expiresAt < (starts[k + 1] ?? start));
    const bucket = buckets[i];
    if (bucket !== undefined) bucket.connects += lot.remaining;
  }
  return buckets;
}

const DAY_MS = 86_400_000;

export interface News {
  /** The expiry instant, ms since epoch. */
  readonly at: number;
  readonly connects: number;
}

/**
 * What the wallet announces: Connects that expire within `soonDays` (the
 * scheduler sends its "expiring soon" notices 30 and 7 days ahead) and those
 * that expired unspent in the last `recentDays`, grouped by expiry day,
 * soonest first.
 */
export function recentNews(
  lots: readonly Lot[],
  now: number,
  soonDays = 30,
  recentDays = 30,
): { expiringSoon: News[]; justExpired: News[] } {
  const byDay = (list: readonly Lot[]): News[] => {
    const days = new Map<number, number>();
    for (const lot of list) {
      const at = Date.parse(lot.expiresAt);
      days.set(at, (days.get(at) ?? 0) + lot.remaining);
    }
    return [...days].map(([at, connects]) => ({ at, connects })).sort((a, b) => a.at - b.at);
  };
  const left = lots.filter((lot) => lot.remaining > 0);
  return {
    expiringSoon: byDay(
      left.filter((l) => isSpendable(l, now) && Date.parse(l.expiresAt) <= now + soonDays * DAY_MS),
    ),
    justExpired: byDay(
      left.filter(
        (l) => Date.parse(l.expiresAt) <= now && Date.parse(l.expiresAt) > now - recentDays * DAY_MS,
      ),
    ),
  };
}

export function isSpendable(lot: Lot, now: number): boolean {
  return lot.remaining > 0 && Date.parse(lot.issuedAt) <= now && now < Date.parse(lot.expiresAt);
}

const sourceNames: Record<string, string> = {
  signup: 'Welcome bonus',
  badge: 'Rising Talent badge',
  rising_talent: 'Rising Talent badge',
  interview: 'Interview reward',
  certification: 'Certification',
  allotment: 'Monthly allotment',
  monthly_allotment: 'Monthly allotment',
  proration: 'Plan upgrade',
  plan_proration: 'Plan upgrade',
  purchase: 'Purchase',
  promo: 'Promo code',
  admin: 'Granted by the marketplace',
  promo_code: 'Promo code',
  admin_grant: 'Granted by the marketplace',
  grant: 'Granted by the marketplace',
  refund: 'Refund',
  refund_reinstatement: 'Refund',
};

export function sourceName(source: string): string {
  return sourceNames[source] ?? source.replaceAll('_', ' ');
}
