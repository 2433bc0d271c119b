import { useId, useState } from 'react';
import type { EntryFilter } from '../api/api.ts';
import { describeError } from '../api/messages.ts';
import { entryTypes, type Entry, type EntryType } from '../api/types.ts';
import { LoadError, Loading } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { formatConnects, formatDateTime } from '../format.ts';
import { useApp, usePolicy, useResource } from '../hooks.ts';

const PAGE_SIZE = 20;
const DAY_MS = 86_400_000;
const periods = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'all', label: 'All time' },
] as const;

export const typeNames: Record<EntryType, string> = {
  grant: 'Credit',
  debit: 'Spent',
  hold: 'Reserved',
  hold_release: 'Released',
  hold_capture: 'Boost charged',
  refund: 'Refund',
  expiry: 'Expired',
  forfeit: 'Forfeited',
  adjustment: 'Adjustment',
};

/** The ledger history with period and type filters, cursor paging and a CSV export of the same filter. */
export function HistoryPanel({
  freelancerId,
  heading = 'History',
}: {
  freelancerId: string;
  heading?: string;
}) {
  const { api } = useApp();
  const policy = usePolicy();
  const periodId = useId();
  const typeId = useId();
  const [period, setPeriod] = useState<string>('30');
  const [type, setType] = useState<EntryType | ''>('');
  // Cursors of the pages before the current one, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [csvError, setCsvError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  const now = policy.data === undefined ? undefined : Date.parse(policy.data.now);
  const since =
    period === 'all' || now === undefined ? undefined : new Date(now - Number(period) * DAY_MS).toISOString();
  const filter: EntryFilter = {
    ...(since === undefined ? {} : { since }),
    ...(type === '' ? {} : { type }),
  };
  const ready = period === 'all' || now !== undefined;
  const page = useResource(
    `entries:${freelancerId}:${since ?? ''}:${type}:${cursor ?? ''}:${String(ready)}`,
    () =>
      ready
        ? api.entries(freelancerId, {
            ...filter,
            limit: PAGE_SIZE,
            ...(cursor === undefined ? {} : { cursor }),
          })
        : new Promise<never>(() => {}),
  );

  const resetPaging = (): void => setCursors([undefined]);

  async function downloadCsv(): Promise<void> {
    setCsvError(null);
    try {
      const csv = await api.entriesCsv(freelancerId, filter);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `connects-${freelancerId}-history.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setCsvError(describeError(e));
    }
  }

  const nextCursor = page.data?.nextCursor ?? null;
  return (
    <>
      <h1>{heading}</h1>
      <Panel
        title="Ledger entries"
        actions={
          <button type="button" className="button-quiet" onClick={() => void downloadCsv()}>
            Download CSV
          </button>
        }
      >
        <div className="filters">
          <div className="field">
            <label htmlFor={periodId}>Period</label>
            <select
              id={periodId}
              value={period}
              onChange={(e) => {
                setPeriod(e.target.value);
                resetPaging();
              }}
            >
              {periods.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={typeId}>Type</label>
            <select
              id={typeId}
              value={type}
              onChange={(e) => {
                setType(e.target.value as EntryType | '');
                resetPaging();
              }}
            >
              <option value="">All types</option>
              {entryTypes.map((t) => (
                <option key={t} value={t}>
                  {typeNames[t]}
                </option>
              ))}
            </select>
          </div>
        </div>
        {csvError === null ? null : (
          <p role="alert" className="notice notice-error">
            {csvError}
          </p>
        )}
        {page.error !== undefined ? <LoadError error={page.error} retry={page.reload} /> : null}
        {page.data === undefined ? (
          <Loading what="the history" />
        ) : (
          <EntryTable entries={page.data.entries} />
        )}
        <div className="pager">
          <button
            type="button"
            className="button-quiet"
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Newer
          </button>
          <span className="muted">Page {cursors.length}</span>
          <button
            type="button"
            className="button-quiet"
            disabled={nextCursor === null}
            onClick={() => nextCursor !== null && setCursors((c) => [...c, nextCursor])}
          >
            Older
          </button>
        </div>
      </Panel>
    </>
  );
}

function EntryTable({ entries }: { entries: readonly Entry[] }) {
  if (entries.length === 0) return <p className="muted">No entries for this filter.</p>;
  return (
    <div className="table-wrap">
      <table className="table table-stack" data-testid="history">
        <caption className="visually-hidden">Ledger entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Type</th>
            <th scope="col">For</th>
            <th scope="col" className="num">
              Connects
            </th>
            <th scope="col" className="num">
              Balance after
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td data-label="When">{formatDateTime(e.effectiveAt)}</td>
              <td data-label="Type">
                <span className={`tag tag-${e.type}`}>{typeNames[e.type] ?? e.type}</span>
              </td>
              <td className="ref" data-label="For">
                {e.reason ?? e.ref ?? ''}
              </td>
              <td className="num" data-label="Connects">
                {signed(e)}
              </td>
              <td className="num" data-label="Balance after">
                {e.balanceAfter === undefined ? '' : formatConnects(e.balanceAfter)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const delta = (before: number | undefined, after: number | undefined): number | undefined =>
  before === undefined || after === undefined ? undefined : after - before;

const signedNumber = (n: number): string => (n > 0 ? `+${formatConnects(n)}` : `\u2212${formatConnects(-n)}`);

/**
 * The change, signed: to the balance when it moved; otherwise to the
 * available balance (a hold reserves Connects without spending them, a
 * release gives them back), marked as such.
 */
export function signed(entry: Entry): string {
  const balance = delta(entry.balanceBefore, entry.balanceAfter);
  if (balance !== undefined && balance !== 0) return signedNumber(balance);
  const available = delta(entry.availableBefore, entry.availableAfter);
  if (available !== undefined && available !== 0) return `${signedNumber(available)} available`;
  const amount = formatConnects(Math.abs(entry.amount));
  if (entry.type === 'hold') return `\u2212${amount} available`;
  if (entry.type === 'hold_release') return `+${amount} available`;
  if (entry.amount === 0) return '0';
  return ['grant', 'refund'].includes(entry.type) ? `+${amount}` : `\u2212${amount}`;
}
