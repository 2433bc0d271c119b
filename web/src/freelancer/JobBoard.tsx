import { useId, useState, type FormEvent } from 'react';
import type { Job } from '../api/types.ts';
import { Loaded } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { connectsLabel, formatCents } from '../format.ts';
import { useApp, useResource } from '../hooks.ts';
import { Link, navigate } from '../router.tsx';

export function budgetText(job: Job): string {
  if (job.hourly) return 'Hourly';
  if (job.budgetCents === null) return 'No budget given';
  return formatCents(job.budgetCents);
}

/** Open jobs with their price in Connects; a job can also be opened by its id. */
export function JobBoard() {
  const { api } = useApp();
  const jobs = useResource('jobs', () => api.jobs());
  return (
    <>
      <h1>Job board</h1>
      <Panel title="Open jobs">
        <Loaded resource={jobs} what="jobs">
          {(data) => <JobList jobs={data.jobs} />}
        </Loaded>
      </Panel>
      <OpenById />
    </>
  );
}

function JobList({ jobs }: { jobs: readonly Job[] }) {
  const open = jobs.filter((j) => j.status === 'open');
  if (open.length === 0) return <p className="muted">No open jobs right now.</p>;
  return (
    <ul className="cards" data-testid="jobs">
      {open.map((job) => (
        <li key={job.id} className="card">
          <h3>
            <Link to={`/jobs/${encodeURIComponent(job.id)}`}>{job.id}</Link>
          </h3>
          <p className="muted">
            {budgetText(job)}
            {job.enterprise ? ' · Enterprise' : ''}
            {` · ${job.proposalCount} ${job.proposalCount === 1 ? 'proposal' : 'proposals'}`}
          </p>
          <p className="price">
            {job.connectsRequired === 0 ? 'Free to apply' : connectsLabel(job.connectsRequired)}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function OpenById({ base = '/jobs' }: { base?: string }) {
  const id = useId();
  const [jobId, setJobId] = useState('');
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (jobId.trim() !== '') navigate(`${base}/${encodeURIComponent(jobId.trim())}`);
  };
  return (
    <Panel title="Open a job by id">
      <form className="form form-inline" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor={id}>Job id</label>
          <input id={id} value={jobId} onChange={(e) => setJobId(e.target.value)} spellCheck={false} />
        </div>
        <button type="submit" className="button">
          Open
        </button>
      </form>
    </Panel>
  );
}
