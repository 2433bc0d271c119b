import type { MonthReport } from '../../../../src/sim/metrics.ts';
import { formatCents, formatConnects, formatMonth } from '../../format.ts';

/**
 * What the console reads from a simulation's result (src/sim/simulation.ts,
 * the `result` of GET /v1/admin/simulations/{id}): per month, the baseline
 * run, the candidate run and candidate - baseline. Only the fields the
 * charts and the table read are named here.
 */
export type { MonthReport };

export interface SimulationResultView {
  readonly seed: number;
  readonly months: number;
  readonly start: string;
  readonly end: string;
  readonly population: { readonly kind: 'synthetic' | 'snapshot'; readonly freelancers: number };
  readonly baseline: readonly MonthReport[];
  readonly candidate: readonly MonthReport[];
  readonly difference: readonly MonthReport[];
  readonly events: number;
}

export type Unit = 'Connects' | 'USD' | 'proposals' | 'freelancers' | '%';

/** A number the console charts and compares: a flow (summed over months) or a stock (read at month end). */
export interface Metric {
  readonly key: string;
  readonly label: string;
  readonly unit: Unit;
  readonly kind: 'flow' | 'stock';
  readonly value: (month: MonthReport) => number;
  /** Whether more is better for the marketplace's people or its revenue (colours the difference). */
  readonly better: 'more' | 'less' | 'neither';
}

export const metrics: readonly Metric[] = [
  {
    key: 'issued',
    label: 'Connects issued',
    unit: 'Connects',
    kind: 'flow',
    better: 'neither',
    value: (m) => m.issued.total,
  },
  {
    key: 'spent',
    label: 'Connects spent',
    unit: 'Connects',
    kind: 'flow',
    better: 'neither',
    value: (m) => m.spent.total,
  },
  {
    key: 'expired',
    label: 'Connects expired',
    unit: 'Connects',
    kind: 'flow',
    better: 'less',
    value: (m) => m.expired.total,
  },
  {
    key: 'outstanding',
    label: 'Connects outstanding',
    unit: 'Connects',
    kind: 'stock',
    better: 'neither',
    value: (m) => m.outstanding,
  },
  {
    key: 'purchaseRevenue',
    label: 'Purchase revenue',
    unit: 'USD',
    kind: 'flow',
    better: 'more',
    value: (m) => m.money.purchaseRevenueCents,
  },
  {
    key: 'plusRevenue',
    label: 'Plus revenue',
    unit: 'USD',
    kind: 'flow',
    better: 'more',
    value: (m) => m.money.plusRevenueCents,
  },
  {
    key: 'deferredRevenue',
    label: 'Deferred revenue',
    unit: 'USD',
    kind: 'stock',
    better: 'neither',
    value: (m) => m.money.deferredRevenueCents,
  },
  {
    key: 'blocked',
    label: 'Proposals blocked',
    unit: 'proposals',
    kind: 'flow',
    better: 'less',
    value: (m) => m.harm.proposalsBlocked,
  },
  {
    key: 'atZero',
    label: 'Freelancers at zero',
    unit: 'freelancers',
    kind: 'stock',
    better: 'less',
    value: (m) => m.harm.freelancersAtZero,
  },
  {
    key: 'medianBalance',
    label: 'Median balance',
    unit: 'Connects',
    kind: 'stock',
    better: 'neither',
    value: (m) => m.harm.medianBalance,
  },
];

/** The charts: one per question an operator asks, baseline against candidate. */
export const chartKeys = [
  'issued',
  'spent',
  'expired',
  'outstanding',
  'purchaseRevenue',
  'plusRevenue',
  'blocked',
  'atZero',
] as const;

export const metricByKey = (key: string): Metric => {
  const metric = metrics.find((m) => m.key === key);
  if (metric === undefined) throw new Error(`unknown metric ${key}`);
  return metric;
};

/** A value in its unit, for people ("$1,234.50", "1,200"). */
export function formatValue(unit: Unit, n: number): string {
  return unit === 'USD' ? formatCents(n) : unit === '%' ? `${n}%` : formatConnects(n);
}

/** A short axis tick: money without cents ("$1,235"), thousands as "12k". */
export function formatTick(unit: Unit, n: number): string {
  const short = Math.abs(n) >= 10_000 ? `${formatConnects(Math.round(n / 1000))}k` : formatConnects(n);
  if (unit === 'USD') {
    const dollars = Math.round(n / 100);
    return Math.abs(dollars) >= 10_000
      ? `$${formatConnects(Math.round(dollars / 1000))}k`
      : `$${formatConnects(dollars)}`;
  }
  return short;
}

/** A difference with its sign always written: "+12", "−$3.00", "0". */
export function formatDifference(unit: Unit, n: number): string {
  if (n === 0) return formatValue(unit, 0);
  return `${n > 0 ? '+' : '−'}${formatValue(unit, Math.abs(n))}`;
}

/** How a difference reads: better, worse, or just up or down when neither is better. */
export function judge(metric: Metric, n: number): 'better' | 'worse' | 'up' | 'down' | 'same' {
  if (n === 0) return 'same';
  if (metric.better === 'neither') return n > 0 ? 'up' : 'down';
  return n > 0 === (metric.better === 'more') ? 'better' : 'worse';
}

/** "Jan 2031", with the year on the first month and every January. */
export function monthLabels(result: Pick<SimulationResultView, 'baseline'>): string[] {
  return result.baseline.map((m, i) => {
    const t = Date.parse(m.start);
    return formatMonth(t, i === 0 || new Date(t).getUTCMonth() === 0);
  });
}

export interface DifferenceRow {
  readonly label: string;
  readonly values: readonly number[];
}

/**
 * The table of differences, candidate - baseline: one row per month and a
 * total, in which a flow is summed over the months and a stock is its
 * difference at the end of the last month.
 */
export function differenceRows(
  result: SimulationResultView,
  shown: readonly Metric[],
): {
  months: DifferenceRow[];
  total: DifferenceRow;
} {
  const labels = monthLabels(result);
  const months = result.baseline.map((base, i) => {
    const cand = result.candidate[i] as MonthReport;
    return { label: labels[i] ?? '', values: shown.map((m) => m.value(cand) - m.value(base)) };
  });
  const last = months.length - 1;
  const total = {
    label: 'Total',
    values: shown.map((metric, j) =>
      metric.kind === 'flow'
        ? months.reduce((sum, row) => sum + (row.values[j] ?? 0), 0)
        : (months[last]?.values[j] ?? 0),
    ),
  };
  return { months, total };
}
