import { useId, useState, type FormEvent } from 'react';
import type { AuditFilter } from '../api/api.ts';
import type { AuditRow } from '../api/types.ts';
import { Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { formatDateTime } from '../format.ts';
import { useApp, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';
import { auditWindow, describeAction, describeOutcome } from './audit-lines.ts';

const ACTOR_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const FREELANCER_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const PAGE = 50;

interface Fields {
  readonly actor: string;
  readonly freelancerId: string;
  readonly from: string;
  readonly to: string;
}

const empty: Fields = { actor: '', freelancerId: '', from: '', to: '' };

/** The filter in the address (?actor=&freelancerId=&from=&to=), so a link can open a filtered view. */
function fieldsFromLocation(): Fields {
  const q = new URLSearchParams(window.location.search);
  return {
    actor: q.get('actor') ?? '',
    freelancerId: q.get('freelancerId') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
  };
}

/** The request's filter, or a sentence saying which field is wrong. */
function toFilter(f: Fields): AuditFilter | string {
  const actor = f.actor.trim();
  const freelancerId = f.freelancerId.trim();
  if (actor !== '' && !ACTOR_PATTERN.test(actor)) return 'An operator id is 1 to 64 letters, digits or _ . -';
  if (freelancerId !== '' && !FREELANCER_PATTERN.test(freelancerId))
    return 'A freelancer id is 1 to 64 letters, digits or _ . : -';
  const window = auditWindow(f.from, f.to);
  if (window === undefined) return 'Enter dates like 2030-03-01, the second one not before the first.';
  return {
    ...(actor === '' ? {} : { actor }),
    ...(freelancerId === '' ? {} : { freelancerId }),
    ...window,
  };
}

/** Who did what: every operator write, refused ones included, newest first (owner and finance). */
export function AuditPage() {
  const [fields, setFields] = useState<Fields>(fieldsFromLocation);
  const [applied, setApplied] = useState<Fields>(fields);
  const [error, setError] = useState<string | null>(null);
  const ids = { actor: useId(), freelancer: useId(), from: useId(), to: useId() };
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const filter = toFilter(fields);
    if (typeof filter === 'string') {
      setError(filter);
      return;
    }
    setError(null);
    setApplied(fields);
    const q = new URLSearchParams(
      Object.entries(fields).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    ).toString();
    window.history.replaceState(null, '', `/admin/audit${q === '' ? '' : `?${q}`}`);
  };
  const set = (key: keyof Fields) => (value: string) => {
    setFields((f) => ({ ...f, [key]: value }));
    setError(null);
  };
  return (
    <>
      <h1>Audit</h1>
      <p className="muted">
        Every write request made with the admin token or an operator key, refused ones included, newest first:
        when, who with which role, what, on which freelancer, the answer, and the request id the server logged
        it under.
      </p>
      <Panel title="Filter">
        <form className="form grid-form" onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor={ids.actor}>Operator id</label>
            <input
              id={ids.actor}
              value={fields.actor}
              spellCheck={false}
              placeholder="admin"
              onChange={(e) => set('actor')(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.freelancer}>Freelancer id</label>
            <input
              id={ids.freelancer}
              value={fields.freelancerId}
              spellCheck={false}
              onChange={(e) => set('freelancerId')(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.from}>From (UTC date)</label>
            <input
              id={ids.from}
              value={fields.from}
              placeholder="YYYY-MM-DD"
              onChange={(e) => set('from')(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>To (UTC date, included)</label>
            <input
              id={ids.to}
              value={fields.to}
              placeholder="YYYY-MM-DD"
              onChange={(e) => set('to')(e.target.value)}
            />
          </div>
          <div className="field field-button">
            <button type="submit" className="button">
              Show
            </button>
            {Object.values(fields).every((v) => v === '') ? null : (
              <button
                type="button"
                className="button-quiet"
                onClick={() => {
                  setFields(empty);
                  setApplied(empty);
                  setError(null);
                  window.history.replaceState(null, '', '/admin/audit');
                }}
              >
                Clear
              </button>
            )}
          </div>
        </form>
        {error === null ? null : (
          <p role="alert" className="notice notice-error">
            {error}
          </p>
        )}
      </Panel>
      <AuditTable fields={applied} />
    </>
  );
}

function AuditTable({ fields }: { fields: Fields }) {
  const { api } = useApp();
  const filter = toFilter(fields);
  const base = typeof filter === 'string' ? {} : filter;
  const key = JSON.stringify(base);
  // Cursors of the pages before the current one, so "Newer" can go back; a new filter starts over.
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key,
    cursors: [undefined],
  });
  const cursors = paging.key === key ? paging.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const page = useResource(`audit:${key}:${cursor ?? ''}`, () =>
    api.audit({ ...base, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) }),
  );
  const nextCursor = page.data?.nextCursor ?? null;
  const title = [
    base.actor === undefined ? null : `by ${base.actor}`,
    base.freelancerId === undefined ? null : `about ${base.freelancerId}`,
  ]
    .filter((t) => t !== null)
    .join(', ');
  return (
    <Panel title={title === '' ? 'Audit trail' : `Audit trail ${title}`}>
      <Loaded resource={page} what="the audit trail">
        {({ rows }) =>
          rows.length === 0 ? (
            <p className="muted">No operator actions match this filter.</p>
          ) : (
            <AuditRows rows={rows} />
          )
        }
      </Loaded>
      {cursors.length <= 1 && nextCursor === null ? null : (
        <div className="pager">
          <button
            type="button"
            className="button-quiet"
            disabled={cursors.length <= 1}
            onClick={() => setPaging({ key, cursors: cursors.slice(0, -1) })}
          >
            Newer
          </button>
          <span className="muted">Page {cursors.length}</span>
          <button
            type="button"
            className="button-quiet"
            disabled={nextCursor === null}
            onClick={() => nextCursor !== null && setPaging({ key, cursors: [...cursors, nextCursor] })}
          >
            Older
          </button>
        </div>
      )}
    </Panel>
  );
}

function AuditRows({ rows }: { rows: readonly AuditRow[] }) {
  return (
    <div className="table-wrap">
      <table className="table table-stack" data-testid="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Freelancer</th>
            <th scope="col">Outcome</th>
            <th scope="col">Request id</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td data-label="When">{formatDateTime(r.at)}</td>
              <td data-label="Who">
                <span>
                  {r.actor} <span className="tag">{r.actorRole}</span>
                </span>
              </td>
              <td data-label="What" className="what audit-what" title={`${r.method} ${r.path}`}>
                <span>
                  {describeAction(r.method, r.route, r.path)}
                  {r.entries.length === 0 ? null : (
                    <span className="muted">
                      {' '}
                      ({r.entries.length} {r.entries.length === 1 ? 'ledger entry' : 'ledger entries'})
                    </span>
                  )}
                </span>
              </td>
              <td data-label="Freelancer">
                {r.freelancerId === null ? (
                  <span className="muted">—</span>
                ) : (
                  <Link to={`/admin/freelancers/${encodeURIComponent(r.freelancerId)}`}>
                    {r.freelancerId}
                  </Link>
                )}
              </td>
              <td data-label="Outcome">
                <span className={`tag${r.status < 400 ? '' : ' tag-warn'}`}>
                  {describeOutcome(r.status, r.errorCode)}
                </span>
              </td>
              <td data-label="Request id" className="ref">
                <code>{r.requestId}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
