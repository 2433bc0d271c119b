import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.ts';
import type { Job } from '../api/types.ts';
import { ActionNotice, LoadError } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { budgetText } from '../freelancer/JobBoard.tsx';
import { connectsLabel, parseCents, parseWhole } from '../format.ts';
import { useAction, useApp, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Create and cancel jobs (on behalf of clients, or removing them for a terms-of-service violation). */
export function JobsAdmin() {
  return (
    <>
      <h1>Jobs</h1>
      <div className="columns">
        <CreateJobPanel />
        <CancelJobPanel />
      </div>
      <JobTable />
    </>
  );
}

function CreateJobPanel() {
  const { api } = useApp();
  const action = useAction();
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
    const connectsRequired = price.trim() === '' ? undefined : parseWhole(price, 0, 1000);
    if (price.trim() !== '' && connectsRequired === undefined) {
      return action.fail(
        'An explicit price is a whole number of Connects from 0 to 1000, or empty for the rate card.',
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

function CancelJobPanel() {
  const { api } = useApp();
  const action = useAction();
  const ids = { id: useId(), reason: useId() };
  const [jobId, setJobId] = useState('');
  const [reason, setReason] = useState<'client' | 'tos'>('client');
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (!ID_PATTERN.test(jobId.trim())) return action.fail('Enter the id of the job to cancel.');
    void action.run(async () => {
      await api.cancelJob(jobId.trim(), reason);
      return `Job ${jobId.trim()} ${reason === 'tos' ? 'removed' : 'cancelled'}; every proposal’s Connects were refunded.`;
    });
  };
  return (
    <Panel title="Cancel or remove a job">
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={ids.id}>Job id</label>
          <input id={ids.id} value={jobId} spellCheck={false} onChange={(e) => setJobId(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.reason}>Reason</label>
          <select
            id={ids.reason}
            value={reason}
            onChange={(e) => setReason(e.target.value === 'tos' ? 'tos' : 'client')}
          >
            <option value="client">Cancelled by the client</option>
            <option value="tos">Removed: terms-of-service violation</option>
          </select>
        </div>
        <p className="hint">
          Cancelling before any contract refunds every proposal’s Connects, boosts included.
        </p>
        <button type="submit" className="button button-danger" disabled={action.busy}>
          Cancel job
        </button>
        <ActionNotice state={action.state} />
      </form>
    </Panel>
  );
}

function JobTable() {
  const { api } = useApp();
  const jobs = useResource('jobs', () => api.jobs());
  if (jobs.error instanceof ApiError && jobs.error.code === 'not_found') return null;
  return (
    <Panel title="All jobs">
      {jobs.error !== undefined ? <LoadError error={jobs.error} retry={jobs.reload} /> : null}
      {jobs.data === undefined || jobs.data.jobs.length === 0 ? (
        <p className="muted">No jobs yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Client</th>
                <th scope="col">Budget</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.jobs.map((job: Job) => (
                <tr key={job.id}>
                  <td>
                    <Link to={`/admin/jobs/${encodeURIComponent(job.id)}`}>{job.title ?? job.id}</Link>
                  </td>
                  <td>{job.clientId}</td>
                  <td>{budgetText(job)}</td>
                  <td className="num">{connectsLabel(job.connectsRequired)}</td>
                  <td>{job.status ?? 'open'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
