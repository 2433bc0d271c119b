import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.ts';
import type { Job } from '../api/types.ts';
import { LoadError, Loading } from '../components/Notice.tsx';
import { Panel } from '../components/Panel.tsx';
import { connectsLabel, formatCents } from '../format.ts';
import { useApp, useResource } from '../hooks.ts';
import { Link, navigate } from '../router.tsx';

export function budgetText(job: Job): string {
  if (job.hourly) return 'Hourly';
  if (job.budgetCents === undefined || job.budgetCents === null) return 'No budget given';
  return formatCents(job.budgetCents);
}

/** Open jobs with their price in Connects; a job can also be opened by its id. */
export function JobBoard() {
  const { api } = useApp();
  const jobs = useResource('jobs', () => api.jobs());
  // A server without a job list answers not_found: the board then offers only "open by id".
  const noList = jobs.error instanceof ApiError && jobs.error.code === 'not_found';
  return (
    <>
      <h1>Job board</h1>
      <Panel title="Open jobs">
        {jobs.error !== undefined && !noList ? <LoadError error={jobs.error} retry={jobs.reload} /> : null}
        {noList ? <p className="muted">This server does not list jobs; open one by its id below.</p> : null}
        {jobs.data === undefined ? (
          noList ? null : (
            <Loading what="jobs" />
          )
        ) : (
          <JobList jobs={jobs.data.jobs} />
        )}
      </Panel>
      <OpenById />
    </>
  );
}

function JobList({ jobs }: { jobs: readonly Job[] }) {
  const open = jobs.filter((j) => j.status === undefined || j.status === 'open');
  if (open.length === 0) return <p className="muted">No open jobs right now.</p>;
  return (
    <ul className="cards" data-testid="jobs">
      {open.map((job) => (
        <li key={job.id} className="card">
          <h3>
            <Link to={`/jobs/${encodeURIComponent(job.id)}`}>{job.title ?? job.id}</Link>
          </h3>
          <p className="muted">
            {budgetText(job)}
            {job.enterprise ? ' · Enterprise' : ''}
            {job.proposalCount === undefined ? '' : ` · ${job.proposalCount} proposals`}
          </p>
          <p className="price">
            {job.connectsRequired === 0 ? 'Free to apply' : connectsLabel(job.connectsRequired)}
          </p>
        </li>
      ))}
    </ul>
  );
}

function OpenById() {
  const id = useId();
  const [jobId, setJobId] = useState('');
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (jobId.trim() !== '') navigate(`/jobs/${encodeURIComponent(jobId.trim())}`);
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
