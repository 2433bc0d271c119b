import { useId, useState, type FormEvent } from 'react';
import type { Job, JobStatus } from '../api/types.ts';
import { ActionNotice, Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { budgetText, OpenById } from '../freelancer/JobBoard.tsx';
import { connectsLabel, formatConnects, parseCents, parseWhole } from '../format.ts';
import { useAction, useApp, useResource, type ActionState } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useRole } from './RoleContext.tsx';
import { can } from './roles.ts';

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** The API's limit on a job's explicit price. */
const MAX_PRICE = 10_000;

/** Create and cancel jobs (on behalf of clients, or removing them for a terms-of-service violation). */
export function JobsAdmin() {
  const role = useRole();
  return (
    <>
      <h1>Jobs</h1>
      {can(role, 'create-job') ? <CreateJobPanel /> : null}
      <OpenById base="/admin/jobs" />
      <JobTable />
    </>
  );
}

function CreateJobPanel() {
  const { api } = useApp();
  const action = useAction('operator');
  const ids = { id: useId(), client: useId(), budget: useId(), price: useId() };
  const [jobId, setJobId] = useState('');
  const [clientId, setClientId] = useState('client-1');
  const [budget, setBudget] = useState('');
  const [hourly, setHourly] = useState(false);
  const [enterprise, setEnterprise] = useState(false);
  const [price, setPrice] = useState('');

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (!ID_PATTERN.test(jobId.trim()) || !ID_PATTERN.test(clientId.trim())) {
      return action.fail('Job and client ids are 1 to 64 letters, digits or _ . : -');
    }
    const budgetCents = budget.trim() === '' ? undefined : parseCents(budget);
    if (budget.trim() !== '' && budgetCents === undefined)
      return action.fail('Enter the budget as money, e.g. 750.');
    const connectsRequired = price.trim() === '' ? undefined : parseWhole(price, 0, MAX_PRICE);
    if (price.trim() !== '' && connectsRequired === undefined) {
      return action.fail(
        `An explicit price is a whole number of Connects from 0 to ${formatConnects(MAX_PRICE)}, or empty for the rate card.`,
      );
    }
    void action.run(async () => {
      const job = await api.createJob({
        id: jobId.trim(),
        clientId: clientId.trim(),
        ...(budgetCents === undefined ? {} : { budgetCents }),
        ...(hourly ? { hourly } : {}),
        ...(enterprise ? { enterprise } : {}),
        ...(connectsRequired === undefined ? {} : { connectsRequired }),
      });
      setJobId('');
      return `Job ${job.id} posted; applying costs ${connectsLabel(job.connectsRequired)}.`;
    });
  };

  return (
    <Panel title="Post a job">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={ids.id}>Job id</label>
          <input id={ids.id} value={jobId} spellCheck={false} onChange={(e) => setJobId(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.client}>Client id</label>
          <input
            id={ids.client}
            value={clientId}
            spellCheck={false}
            onChange={(e) => setClientId(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.budget}>Budget (USD, optional)</label>
          <input
            id={ids.budget}
            inputMode="decimal"
            value={budget}
            onChange={(e) => setBudget(e.target.value)}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={hourly} onChange={(e) => setHourly(e.target.checked)} /> Hourly
        </label>
        <label className="check">
          <input type="checkbox" checked={enterprise} onChange={(e) => setEnterprise(e.target.checked)} />{' '}
          Enterprise (free to apply)
        </label>
        <div className="field">
          <label htmlFor={ids.price}>Explicit price in Connects (optional)</label>
          <input
            id={ids.price}
            inputMode="numeric"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={action.busy}>
          Post job
        </button>
        <ActionNotice state={action.state} />
      </form>
    </Panel>
  );
}

/** Cancelling for the client or removing for a terms-of-service violation, from the job's row. */
function CancelJob({ job, onDone }: { job: Job; onDone: (message: string) => void }) {
  const { api } = useApp();
  const action = useAction('operator');
  const reasonId = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<'client' | 'tos'>('client');
  // Success is announced above the table: the row may leave the list when a filter hides closed jobs.
  const failed = action.state.status === 'failed' ? <ActionNotice state={action.state} /> : null;
  if (job.status !== 'open') return failed;
  const confirm = (): void => {
    void action.run(async () => {
      const r = await api.cancelJob(job.id, reason);
      setOpen(false);
      // Connects returned to lots that had expired meanwhile expire at once (rules.md 1.8).
      const extra =
        r.expiredAtOnce > 0
          ? `, of which ${connectsLabel(r.expiredAtOnce)} had expired meanwhile and expired at once`
          : '';
      const message = `Job ${job.id} ${reason === 'tos' ? 'removed' : 'cancelled'}: ${connectsLabel(r.refundedConnects)} refunded${extra}${r.releasedConnects > 0 ? ` and ${connectsLabel(r.releasedConnects)} of held boosts released` : ''}.`;
      onDone(message);
      return message;
    });
  };
  return (
    <div className="row-action">
      {open ? (
        <div className="row" role="group" aria-label={`Cancel job ${job.id}`}>
          <label htmlFor={reasonId} className="visually-hidden">
            Reason
          </label>
          <select
            id={reasonId}
            value={reason}
            onChange={(e) => setReason(e.target.value === 'tos' ? 'tos' : 'client')}
          >
            <option value="client">Cancelled by the client</option>
            <option value="tos">Removed: terms-of-service violation</option>
          </select>
          <button type="button" className="button button-danger" onClick={confirm} disabled={action.busy}>
            Confirm
          </button>
          <button type="button" className="button-quiet" onClick={() => setOpen(false)}>
            Keep
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button-quiet"
          onClick={() => setOpen(true)}
          aria-label={`Cancel job ${job.id}…`}
        >
          Cancel…
        </button>
      )}
      {failed}
    </div>
  );
}

const statusFilters: readonly { value: JobStatus | 'all'; label: string }[] = [
  { value: 'all', label: 'All jobs' },
  { value: 'open', label: 'Open' },
  { value: 'hired', label: 'Hired' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'removed', label: 'Removed (terms of service)' },
];

function JobTable() {
  const { api } = useApp();
  const statusId = useId();
  const [status, setStatus] = useState<JobStatus | 'all'>('all');
  // Cursors of the pages before the current one, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const jobs = useResource(`jobs:${status}:${cursor ?? ''}`, () => api.jobs(status, cursor));
  const [done, setDone] = useState<ActionState>({ status: 'idle' });
  const nextCursor = jobs.data?.nextCursor ?? null;
  return (
    <Panel title="Jobs">
      <p className="hint">
        Every job, newest first, with its status; filter to see only open, hired, cancelled or removed ones.
        Cancelling before any contract refunds every proposal’s Connects, boosts included.
      </p>
      <div className="filters">
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            value={status}
            onChange={(e) => {
              setStatus(statusFilters.find((f) => f.value === e.target.value)?.value ?? 'all');
              setCursors([undefined]);
            }}
          >
            {statusFilters.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ActionNotice state={done} />
      <Loaded resource={jobs} what="jobs">
        {(data) =>
          data.jobs.length === 0 ? (
            <p className="muted">{status === 'all' ? 'No jobs yet.' : 'No jobs with this status.'}</p>
          ) : (
            <JobRows jobs={data.jobs} onDone={(message) => setDone({ status: 'done', message })} />
          )
        }
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
  );
}

function JobRows({ jobs, onDone }: { jobs: readonly Job[]; onDone: (message: string) => void }) {
  const cancels = can(useRole(), 'cancel-job');
  return (
    <div className="table-wrap">
      <table className="table table-stack" data-testid="jobs-admin">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Client</th>
            <th scope="col">Budget</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col">Status</th>
            {cancels ? <th scope="col">Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id}>
              <td data-label="Job">
                <Link to={`/admin/jobs/${encodeURIComponent(job.id)}`}>{job.id}</Link>
              </td>
              <td data-label="Client">{job.clientId}</td>
              <td data-label="Budget">{budgetText(job)}</td>
              <td className="num" data-label="Price">
                {connectsLabel(job.connectsRequired)}
              </td>
              <td data-label="Status">
                <span className={`tag${job.status === 'open' ? '' : ' tag-warn'}`}>{job.status}</span>
              </td>
              {cancels ? (
                <td data-label="Action" className="what">
                  <CancelJob job={job} onDone={onDone} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
