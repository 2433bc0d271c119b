import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { bucketStarts, type Bucket, MAX_BUCKETS, monthIndex, monthStart } from './stats-buckets.ts';

export const getStatsInputSchema = z.strictObject({
  bucket: z.enum(['day', 'month']).optional(),
  /** Start of the series (rounded down to its bucket); default: 30 days or 12 months before `until`. */
  from: z.int().min(0).optional(),
  /** End of the series, exclusive (rounded up to its bucket); default: the end of now's bucket. */
  until: z.int().min(1).optional(),
});
export type GetStatsInput = z.input<typeof getStatsInputSchema>;

/** Connects and money moved in one period (or in total). Connects are whole numbers, money cents. */
export interface StatsFigures {
  /** Credited to lots: grants and positive adjustments. */
  readonly issued: number;
  /** Debited: proposal costs, captured boosts, badge charges. */
  readonly spent: number;
  /** Returned to lots by refunds. */
  readonly refunded: number;
  /** Expired (as swept: the scheduler materialises expiries on each tick). */
  readonly expired: number;
  /** Purchases (completed, not refunded): price without tax, and the plan charges (upgrades, renewals). */
  readonly purchaseRevenueCents: number;
  readonly planRevenueCents: number;
}

export interface StatsTotals extends StatsFigures {
  /** Removed by admin adjustments. */
  readonly removed: number;
  /** Never credited: the part of a grant above a holding cap. */
  readonly forfeited: number;
  /** Balances at now: spendable Connects plus active holds, over every account. */
  readonly outstanding: number;
  readonly purchases: number;
  /** Price of refunded purchases (chargebacks). */
  readonly purchaseRefundedCents: number;
}

export interface StatsPoint extends StatsFigures {
  /** Start of the bucket (00:00 UTC of a day, or of the 1st of a month). */
  readonly at: Instant;
}

export interface Stats {
  readonly asOf: Instant;
  readonly bucket: Bucket;
  readonly from: Instant;
  readonly until: Instant;
  readonly totals: StatsTotals;
  /** One point per bucket in [from, until), zeros included, oldest first. */
  readonly series: readonly StatsPoint[];
}

const invalid = (message: string) => err<Stats>(connectsError('validation_failed', message));

/** The series window, aligned to bucket boundaries and bounded. */
function window(
  bucket: Bucket,
  now: Instant,
  from?: Instant,
  until?: Instant,
): Result<{ from: Instant; until: Instant }> {
  const floor = (t: Instant) => (bucket === 'day' ? t - (t % MS_PER_DAY) : monthStart(monthIndex(t)));
  const ceil = (t: Instant) => {
    const start = floor(t);
    if (start === t) return t;
    return bucket === 'day' ? start + MS_PER_DAY : monthStart(monthIndex(t) + 1);
  };
  const end = ceil(until ?? now + 1);
  const defaultSpan = bucket === 'day' ? 30 : 12;
  const start =
    from === undefined
      ? bucket === 'day'
        ? end - defaultSpan * MS_PER_DAY
        : monthStart(monthIndex(end) - defaultSpan)
      : floor(from);
  if (start >= end) return invalid('until must be after from.');
  if (bucketStarts(bucket, start, end, MAX_BUCKETS + 1).length > MAX_BUCKETS) {
    return invalid(`A series holds at most ${MAX_BUCKETS} buckets; narrow from/until or use bucket=month.`);
  }
  return ok({ from: start, until: end });
}

/** The ledger's figures per bucket: one aggregate statement, grouped in the database. */
const entryFigures = (bucketSql: string) => `
  SELECT ${bucketSql} AS b,
    sum(CASE WHEN type = 'grant' OR (type = 'adjustment' AND balance_after > balance_before) THEN amount ELSE 0 END)::int8 AS issued,
    sum(CASE WHEN type IN ('debit', 'hold_capture') THEN amount ELSE 0 END)::int8 AS spent,
    sum(CASE WHEN type = 'refund' THEN amount ELSE 0 END)::int8 AS refunded,
    sum(CASE WHEN type = 'expiry' THEN amount ELSE 0 END)::int8 AS expired,
    sum(CASE WHEN type = 'adjustment' AND balance_after < balance_before THEN amount ELSE 0 END)::int8 AS removed,
    sum(CASE WHEN type = 'forfeit' THEN amount ELSE 0 END)::int8 AS forfeited
  FROM entries WHERE effective_at >= $1 AND effective_at < $2
  GROUP BY 1`;

const purchaseFigures = (bucketSql: string) => `
  SELECT ${bucketSql} AS b,
    count(*) FILTER (WHERE status <> 'declined')::int8 AS purchases,
    coalesce(sum(price_cents) FILTER (WHERE status = 'succeeded'), 0)::int8 AS revenue,
    coalesce(sum(price_cents) FILTER (WHERE status IN ('refunding', 'refunded')), 0)::int8 AS refunded_cents
  FROM purchases WHERE created_at >= $1 AND created_at < $2
  GROUP BY 1`;

const planFigures = (bucketSql: string) => `
  SELECT ${bucketSql} AS b, coalesce(sum(amount_cents), 0)::int8 AS revenue
  FROM plan_events WHERE kind IN ('upgraded', 'renewed') AND occurred_at >= $1 AND occurred_at < $2
  GROUP BY 1`;

/** SQL for a row's bucket key: the day's start instant, or the month index (year * 12 + month - 1). */
function bucketSql(bucket: Bucket, column: string): string {
  if (bucket === 'day') return `(${column} / ${MS_PER_DAY}) * ${MS_PER_DAY}`;
  const t = `(to_timestamp(${column} / 1000) AT TIME ZONE 'UTC')`;
  return `(extract(year FROM ${t})::int8 * 12 + extract(month FROM ${t})::int8 - 1)`;
}

type Num = number | string;
interface EntryRow {
  b: Num;
  issued: Num;
  spent: Num;
  refunded: Num;
  expired: Num;
  removed: Num;
  forfeited: Num;
}
interface PurchaseRow {
  b: Num;
  purchases: Num;
  revenue: Num;
  refunded_cents: Num;
}
interface PlanRow {
  b: Num;
  revenue: Num;
}

/**
 * Figures for the operator console (rules.md 7): totals over all time and a
 * per-day or per-month series over a bounded window, each computed by SQL
 * aggregates in the database (no rows travel to the application).
 */
export async function getStats(ctx: AppContext, input: GetStatsInput, now: Instant): Promise<Result<Stats>> {
  const parsed = parseInput(getStatsInputSchema, input);
  if (!parsed.ok) return parsed;
  const bucket = parsed.value.bucket ?? 'day';
  const span = window(bucket, now, parsed.value.from, parsed.value.until);
  if (!span.ok) return span;
  const { from, until } = span.value;
  const db = ctx.store;
  const all = [0, Number.MAX_SAFE_INTEGER];
  const [totalEntries, totalPurchases, totalPlans, outstanding] = await Promise.all([
    db.query<EntryRow>(entryFigures('0'), all),
    db.query<PurchaseRow>(purchaseFigures('0'), all),
    db.query<PlanRow>(planFigures('0'), all),
    db.query<{ n: Num }>(
      `SELECT ((SELECT coalesce(sum(remaining), 0) FROM lots WHERE remaining > 0 AND issued_at <= $1 AND expires_at > $1)
        + (SELECT coalesce(sum(amount), 0) FROM holds WHERE status = 'active'))::int8 AS n`,
      [now],
    ),
  ]);
  const e = totalEntries.rows[0];
  const p = totalPurchases.rows[0];
  const totals: StatsTotals = {
    issued: Number(e?.issued ?? 0),
    spent: Number(e?.spent ?? 0),
    refunded: Number(e?.refunded ?? 0),
    expired: Number(e?.expired ?? 0),
    removed: Number(e?.removed ?? 0),
    forfeited: Number(e?.forfeited ?? 0),
    outstanding: Number(outstanding.rows[0]?.n ?? 0),
    purchases: Number(p?.purchases ?? 0),
    purchaseRevenueCents: Number(p?.revenue ?? 0),
    purchaseRefundedCents: Number(p?.refunded_cents ?? 0),
    planRevenueCents: Number(totalPlans.rows[0]?.revenue ?? 0),
  };
  const series = await seriesIn(ctx, bucket, from, until);
  return ok({ asOf: now, bucket, from, until, totals, series });
}

async function seriesIn(
  ctx: AppContext,
  bucket: Bucket,
  from: Instant,
  until: Instant,
): Promise<StatsPoint[]> {
  const db = ctx.store;
  const range = [from, until];
  const [entries, purchases, plans] = await Promise.all([
    db.query<EntryRow>(entryFigures(bucketSql(bucket, 'effective_at')), range),
    db.query<PurchaseRow>(purchaseFigures(bucketSql(bucket, 'created_at')), range),
    db.query<PlanRow>(planFigures(bucketSql(bucket, 'occurred_at')), range),
  ]);
  const key = (b: Num): Instant => (bucket === 'day' ? Number(b) : monthStart(Number(b)));
  const byEntry = new Map(entries.rows.map((r) => [key(r.b), r]));
  const byPurchase = new Map(purchases.rows.map((r) => [key(r.b), r]));
  const byPlan = new Map(plans.rows.map((r) => [key(r.b), r]));
  return bucketStarts(bucket, from, until, MAX_BUCKETS).map((at) => {
    const r = byEntry.get(at);
    return {
      at,
      issued: Number(r?.issued ?? 0),
      spent: Number(r?.spent ?? 0),
      refunded: Number(r?.refunded ?? 0),
      expired: Number(r?.expired ?? 0),
      purchaseRevenueCents: Number(byPurchase.get(at)?.revenue ?? 0),
      planRevenueCents: Number(byPlan.get(at)?.revenue ?? 0),
    };
  });
}
