import { useId, useState } from 'react';
import { describeError } from '../api/messages.ts';
import type { LedgerReport, ReportLine } from '../api/types.ts';
import { Loaded } from '../components/Notice.tsx';
import { Panel, Stat } from '../components/Panel.tsx';
import { formatCents, formatConnects, formatDateTime } from '../format.ts';
import { useApp, usePolicy, useResource } from '../hooks.ts';
import { lastFullMonth, monthLabel, reportMonths } from './report-months.ts';

const sourceNames: Readonly<Record<keyof LedgerReport['issued']['bySource'], string>> = {
  signup: 'Signup grants',
  allotment: 'Monthly allotments',
  proration: 'Prorated allotments (upgrades)',
  purchase: 'Purchases',
  promo: 'Promo codes',
  admin: 'Operator grants',
  refund: 'Refunds as fresh lots',
  badge: 'Badge rewards',
  interview: 'Interview rewards',
  certification: 'Certification rewards',
};

const useNames: Readonly<Record<keyof LedgerReport['spent']['byUse'], string>> = {
  proposals: 'Proposals',
  boosts: 'Boosts',
  badge: 'Availability badge',
  other: 'Other',
};

/** The monthly ledger report (finance and owners): the roll-forward in Connects and at cost, paid and free. */
export function ReportsPage() {
  const policy = usePolicy();
  const now = policy.data === undefined ? undefined : Date.parse(policy.data.now);
  return (
    <>
      <h1>Reports</h1>
      <p className="muted">
        The month&rsquo;s roll-forward of Connects and of their value at cost (what was paid for them, tax
        apart; free Connects are worth nothing): opening balance, plus what was issued, minus what was spent
        and what expired unspent (breakage), plus refunds and corrections, equals the closing balance. Months
        close by the calendar in UTC.
      </p>
      {now === undefined ? (
        <Loaded resource={policy} what="the service time">
          {() => null}
        </Loaded>
      ) : (
        <MonthReport now={now} />
      )}
    </>
  );
}

function MonthReport({ now }: { now: number }) {
  const { api } = useApp();
  const monthId = useId();
  const months = reportMonths(now);
  const [month, setMonth] = useState(() => lastFullMonth(now));
  const report = useResource(`ledger-report:${month}`, () => api.ledgerReport(month));
  const [csvError, setCsvError] = useState<string | null>(null);
  const current = months[0];

  async function downloadCsv(): Promise<void> {
    setCsvError(null);
    try {
      const csv = await api.ledgerReportCsv(month);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `connects-ledger-${month}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setCsvError(describeError(e));
    }
  }

  return (
    <>
      <div className="filters">
        <div className="field">
          <label htmlFor={monthId}>Month</label>
          <select id={monthId} value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {monthLabel(m)}
                {m === current ? ' (so far)' : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Loaded resource={report} what="the report">
        {(r) => (
          <>
            <Summary report={r} partial={r.month === current} />
            <Panel
              title={`Ledger roll-forward, ${monthLabel(r.month)}`}
              actions={
                <button type="button" className="button-quiet" onClick={() => void downloadCsv()}>
                  Download CSV
                </button>
              }
            >
              {csvError === null ? null : (
                <p role="alert" className="notice notice-error">
                  {csvError}
                </p>
              )}
              <RollForward report={r} />
            </Panel>
          </>
        )}
      </Loaded>
    </>
  );
}

function Summary({ report: r, partial }: { report: LedgerReport; partial: boolean }) {
  const balanced = r.check.connects === 0 && r.check.cents === 0;
  return (
    <Panel title={`${monthLabel(r.month)} at a glance`}>
      {partial ? (
        <p className="hint">This month is not over: figures up to {formatDateTime(r.asOf)}.</p>
      ) : null}
      <dl className="stats" data-testid="report-summary">
        <Stat
          label="Deferred revenue, opening"
          value={formatCents(r.deferredRevenue.openingCents)}
          hint="unspent paid Connects at cost"
        />
        <Stat
          label="Deferred revenue, closing"
          value={formatCents(r.deferredRevenue.closingCents)}
          hint="unspent paid Connects at cost"
        />
        <Stat
          label="Revenue recognised"
          value={formatCents(r.revenue.totalCents)}
          hint={`${formatCents(r.revenue.spendCents)} on spend, ${formatCents(r.revenue.breakageCents)} breakage, ${formatCents(r.revenue.refundedCents)} refunded`}
        />
        <Stat
          label="Breakage"
          value={formatConnects(r.expired.total.connects)}
          hint={`Connects expired unspent; ${formatCents(r.expired.paid.cents)} of paid ones`}
        />
      </dl>
      <p
        className={`notice ${balanced ? 'notice-ok' : 'notice-error'}`}
        role={balanced ? undefined : 'alert'}
        data-testid="report-check"
      >
        Check (closing minus the roll-forward): {formatConnects(r.check.connects)} Connects,{' '}
        {formatCents(r.check.cents)}.{' '}
        {balanced
          ? 'The month balances.'
          : 'The month does not balance: report this with the month and the request id to the maintainers.'}
      </p>
    </Panel>
  );
}

interface Row {
  readonly label: string;
  readonly sign: '' | '+' | '−' | '±' | '=';
  readonly line: ReportLine;
  readonly kind?: 'total' | 'detail' | 'check';
}

function RollForward({ report: r }: { report: LedgerReport }) {
  const sources = (Object.keys(sourceNames) as (keyof typeof sourceNames)[]).filter(
    (s) => r.issued.bySource[s].total.connects !== 0 || r.issued.bySource[s].total.cents !== 0,
  );
  const uses = (Object.keys(useNames) as (keyof typeof useNames)[]).filter(
    (u) => r.spent.byUse[u].total.connects !== 0 || r.spent.byUse[u].total.cents !== 0,
  );
  const zero = { connects: 0, cents: 0 };
  const rows: Row[] = [
    { label: 'Opening balance', sign: '', line: r.opening, kind: 'total' },
    { label: 'Issued', sign: '+', line: r.issued.total },
    ...sources.map((s) => ({
      label: sourceNames[s],
      sign: '' as const,
      line: r.issued.bySource[s],
      kind: 'detail' as const,
    })),
    { label: 'Spent', sign: '−', line: r.spent.total },
    ...uses.map((u) => ({
      label: useNames[u],
      sign: '' as const,
      line: r.spent.byUse[u],
      kind: 'detail' as const,
    })),
    { label: 'Expired unspent (breakage)', sign: '−', line: r.expired },
    { label: 'Refunds of spent Connects', sign: '±', line: r.refunds },
    { label: 'Chargebacks (purchase refunds)', sign: '±', line: r.chargebacks },
    { label: 'Operator adjustments', sign: '±', line: r.adjustments },
    { label: 'Closing balance', sign: '=', line: r.closing, kind: 'total' },
    { label: 'Check', sign: '', line: { paid: zero, free: zero, total: r.check }, kind: 'check' },
  ];
  const checkOff = r.check.connects !== 0 || r.check.cents !== 0;
  return (
    <div className="table-wrap">
      <table className="table table-stack report-table" data-testid="report">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col" className="num">
              Paid Connects
            </th>
            <th scope="col" className="num">
              Paid, at cost
            </th>
            <th scope="col" className="num">
              Free Connects
            </th>
            <th scope="col" className="num">
              All Connects
            </th>
            <th scope="col" className="num">
              All, at cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const check = row.kind === 'check';
            return (
              <tr
                key={row.label}
                className={
                  check
                    ? `report-check${checkOff ? ' report-check-off' : ''}`
                    : row.kind === undefined
                      ? ''
                      : `report-${row.kind}`
                }
              >
                <th scope="row" data-label="Line">
                  {row.sign === '' ? null : <span className="report-sign">{row.sign} </span>}
                  {row.label}
                </th>
                <td className="num" data-label="Paid Connects">
                  {check ? '' : formatConnects(row.line.paid.connects)}
                </td>
                <td className="num" data-label="Paid, at cost">
                  {check ? '' : formatCents(row.line.paid.cents)}
                </td>
                <td className="num" data-label="Free Connects">
                  {check ? '' : formatConnects(row.line.free.connects)}
                </td>
                <td className="num" data-label="All Connects">
                  {formatConnects(row.line.total.connects)}
                </td>
                <td className="num" data-label="All, at cost">
                  {formatCents(row.line.total.cents)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint">
        Held for boosts: {formatConnects(r.held.opening.total.connects)} Connects at the opening,{' '}
        {formatConnects(r.held.closing.total.connects)} at the closing (part of the balance). {r.memo.entries}{' '}
        ledger entries this month
        {r.memo.lateEntries === 0 ? '' : `, ${r.memo.lateEntries} of them recorded late`}.
      </p>
    </div>
  );
}
