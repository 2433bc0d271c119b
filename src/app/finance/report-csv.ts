import { toIso } from '../../core/time.ts';
import { lotSources } from '../../core/types.ts';
import { spendUses, type LedgerReport, type Split } from './get-ledger-report.ts';

/** The CSV's columns (docs/finance.md): one row per line of the report. */
export const REPORT_CSV_HEADER =
  'month,section,item,paid_connects,paid_cents,free_connects,free_cents,total_connects,total_cents';

/** One row per report line, in roll-forward order, then the check, holds, deferred revenue and revenue. */
export function reportRows(r: LedgerReport): { section: string; item: string; split: Split }[] {
  const cents = (paid: number): Split => ({
    paid: { connects: 0, cents: paid },
    free: { connects: 0, cents: 0 },
    total: { connects: 0, cents: paid },
  });
  return [
    { section: 'opening', item: '', split: r.opening },
    ...lotSources.map((s) => ({ section: 'issued', item: s, split: r.issued.bySource[s] })),
    { section: 'issued', item: 'total', split: r.issued.total },
    ...spendUses.map((u) => ({ section: 'spent', item: u, split: r.spent.byUse[u] })),
    { section: 'spent', item: 'total', split: r.spent.total },
    { section: 'expired', item: 'breakage', split: r.expired },
    { section: 'refunds', item: '', split: r.refunds },
    { section: 'chargebacks', item: '', split: r.chargebacks },
    { section: 'adjustments', item: '', split: r.adjustments },
    { section: 'closing', item: '', split: r.closing },
    {
      section: 'check',
      item: '',
      split: {
        paid: { connects: 0, cents: 0 },
        free: { connects: 0, cents: 0 },
        total: r.check,
      },
    },
    { section: 'held', item: 'opening', split: r.held.opening },
    { section: 'held', item: 'closing', split: r.held.closing },
    { section: 'deferred_revenue', item: 'opening', split: cents(r.deferredRevenue.openingCents) },
    { section: 'deferred_revenue', item: 'closing', split: cents(r.deferredRevenue.closingCents) },
    { section: 'revenue', item: 'spend', split: cents(r.revenue.spendCents) },
    { section: 'revenue', item: 'refunded', split: cents(r.revenue.refundedCents) },
    { section: 'revenue', item: 'breakage', split: cents(r.revenue.breakageCents) },
    { section: 'revenue', item: 'total', split: cents(r.revenue.totalCents) },
  ];
}

/** The report as CSV text, header first, one line per row, newline-terminated. */
export function reportCsv(r: LedgerReport): string {
  const lines = reportRows(r).map(({ section, item, split: s }) =>
    [
      r.month,
      section,
      item,
      s.paid.connects,
      s.paid.cents,
      s.free.connects,
      s.free.cents,
      s.total.connects,
      s.total.cents,
    ].join(','),
  );
  return `${[REPORT_CSV_HEADER, ...lines].join('\n')}\n`;
}

/** The report with ISO instants, as the API and `connects report ledger --json` print it. */
export function wireReport(r: LedgerReport) {
  return { ...r, from: toIso(r.from), until: toIso(r.until), asOf: toIso(r.asOf) };
}
