import { getLedgerReport, type LedgerReport } from '../../app/finance/get-ledger-report.ts';
import { reportCsv, reportRows, wireReport } from '../../app/finance/report-csv.ts';
import { reportMonthSchema } from '../../app/finance/report-month.ts';
import { toIso } from '../../core/time.ts';
import { defineCommand, usageError } from '../command.ts';
import { formatTable, printJson } from '../output.ts';
import { nowArg, requiredArg } from './support/args.ts';
import { valueOf, withApp } from './support/open-app.ts';

type Row = ReturnType<typeof reportRows>[number];
const dollars = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

const columns = [
  { header: 'LINE', value: (r: Row) => (r.item === '' ? r.section : `${r.section} ${r.item}`) },
  { header: 'PAID', value: (r: Row) => r.split.paid.connects, align: 'right' as const },
  { header: 'PAID $', value: (r: Row) => dollars(r.split.paid.cents), align: 'right' as const },
  { header: 'FREE', value: (r: Row) => r.split.free.connects, align: 'right' as const },
  { header: 'TOTAL', value: (r: Row) => r.split.total.connects, align: 'right' as const },
  { header: 'TOTAL $', value: (r: Row) => dollars(r.split.total.cents), align: 'right' as const },
];

/** Lines a person reads: the roll-forward without the empty sources and uses. */
function text(report: LedgerReport): string {
  const rows = reportRows(report).filter(
    (r) =>
      !((r.section === 'issued' || r.section === 'spent') && r.item !== 'total') ||
      r.split.total.connects !== 0 ||
      r.split.total.cents !== 0,
  );
  const head = `Ledger ${report.month} (${toIso(report.from)} to ${toIso(report.until)}), as of ${toIso(report.asOf)}`;
  const late = report.memo.lateEntries === 0 ? '' : `, ${report.memo.lateEntries} recorded after the month`;
  const memo = `${report.memo.entries} entries${late}; ${report.memo.forfeitedConnects} Connects forfeited (never credited)`;
  return `${head}\n${formatTable(rows, columns)}\n${memo}\n`;
}

export const reportLedgerCommand = defineCommand({
  name: 'report ledger',
  summary: "A month's roll-forward of Connects and their value at cost, paid and free (docs/finance.md).",
  details: [
    'The calendar month in UTC, by the entries\u2019 effective time: opening balance + issued (by',
    'source) - spent (by use) - expired (breakage) + refunds + chargebacks + adjustments = closing,',
    'in Connects and in cents at cost, with the check line (always 0), held Connects, deferred',
    'revenue and the revenue recognised. The same figures as GET /v1/admin/reports/ledger.',
    '',
    'Examples:',
    '  connects report ledger --month 2026-11',
    '  connects report ledger --month 2026-11 --csv > ledger-2026-11.csv',
    '  connects report ledger --month 2026-11 --json',
  ].join('\n'),
  options: {
    month: { type: 'string', description: 'The month, YYYY-MM (UTC).', placeholder: 'YYYY-MM' },
    csv: { type: 'boolean', description: 'Print CSV (docs/finance.md lists the columns).' },
    now: {
      type: 'string',
      description: 'Judge "not started yet" as of this instant instead of the real clock.',
      placeholder: 'ISO',
    },
  },
  async run({ io, json, values }) {
    const month = requiredArg('--month', values.month);
    // Checked before the store is opened: a typo costs nothing.
    if (!reportMonthSchema.safeParse(month).success)
      throw usageError('--month must be YYYY-MM, e.g. 2026-11');
    if (json && values.csv === true) throw usageError('--csv and --json are exclusive: pick one');
    const now = nowArg(values.now);
    const report = await withApp(io, async ({ ctx }) => valueOf(await getLedgerReport(ctx, { month }, now)));
    if (json) printJson(io, wireReport(report));
    else if (values.csv === true) io.stdout(reportCsv(report));
    else io.stdout(text(report));
  },
});
