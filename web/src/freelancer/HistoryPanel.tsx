import { useId, useState } from 'react';
import type { EntryFilter } from '../api/api.ts';
import { describeError } from '../api/messages.ts';
import { entryTypes, type Entry, type EntryType } from '../api/types.ts';
import { Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { formatConnects, formatDateTime } from '../format.ts';
import { useApp, usePolicy, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';
import { historyLines } from './history-lines.ts';

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
  jobBase = '/jobs',
  showActor = false,
}: {
  freelancerId: string;
  heading?: string;
  /** Where job links go: the freelancer's job pages or the operator's. */
  jobBase?: string;
  /** The operator console names the operator who wrote each entry. */
  showActor?: boolean;
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
        <Loaded resource={page} what="the history">
          {(data) => <EntryTable entries={data.entries} jobBase={jobBase} showActor={showActor} />}
        </Loaded>
        {cursors.length <= 1 && nextCursor === null ? null : (
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
        )}
      </Panel>
    </>
  );
}

function EntryTable({
  entries,
  jobBase,
  showActor,
}: {
  entries: readonly Entry[];
  jobBase: string;
  showActor: boolean;
}) {
  if (entries.length === 0) return <p className="muted">No entries for this filter.</p>;
  return (
    <div className="table-wrap">
      <table className="table table-stack history" data-testid="history">
        <caption className="visually-hidden">Ledger entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col" className="num">
              Connects
            </th>
            <th scope="col" className="num">
              Balance after
            </th>
          </tr>
        </thead>
        <tbody>
          {historyLines(entries).map((line) => (
            <tr key={line.key}>
              <td data-label="When">{formatDateTime(line.at)}</td>
              <td data-label="What" className="what">
                <span>
                  <span className={`tag tag-${line.type}`}>{typeNames[line.type]}</span>{' '}
                  {line.jobId === null ? (
                    line.text
                  ) : (
                    <JobText
                      text={line.text}
                      jobId={line.jobId}
                      to={`${jobBase}/${encodeURIComponent(line.jobId)}`}
                    />
                  )}
                  {line.count > 1 ? <span className="muted"> ({line.count} charges)</span> : null}
                  {showActor && line.actor !== null ? (
                    <span className="muted" data-testid="entry-actor">
                      {' '}
                      by {line.actor}
                    </span>
                  ) : null}
                </span>
              </td>
              <td className="num" data-label="Connects">
                {line.change}
              </td>
              <td className="num" data-label="Balance after">
                {formatConnects(line.balanceAfter)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The line with its job id as a link to the job. */
function JobText({ text, jobId, to }: { text: string; jobId: string; to: string }) {
  const at = text.indexOf(jobId);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <Link to={to}>{jobId}</Link>
      {text.slice(at + jobId.length)}
    </>
  );
}
