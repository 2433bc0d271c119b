import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { listJobs } from '../jobs/list-jobs.ts';
import { postJob } from '../jobs/post-job.ts';
import { addFreelancer, code, freshId, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { cancelJob } from '../jobs/cancel-job.ts';
import { jobsOfProposals, listProposals } from './list-proposals.ts';
import { submitProposal } from './submit-proposal.ts';

describe.each(testEngines)('listing proposals and jobs on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: AppContext;
  let ada: string;
  let bob: string;
  const jobs: string[] = [];
  beforeAll(async () => {
    opened = await engine.open();
    ctx = jobsContext(opened.store);
    ada = await addFreelancer(opened.store);
    bob = await addFreelancer(opened.store);
    for (let i = 0; i < 3; i += 1) {
      const jobId = freshId('lj');
      jobs.push(jobId);
      value(await postJob(ctx, { id: jobId, clientId: 'cl', connectsRequired: 0 }, T0 + i));
      // One a minute apart: newest first is the reverse of submission order.
      const proposalId = `${jobId}-ada`;
      value(
        await submitProposal(ctx, { proposalId, jobId, freelancerId: ada, bidCents: 100 }, T0 + i * 60_000),
      );
    }
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it('pages through one freelancer’s proposals, newest first, or finds the one to a job', async () => {
    const first = value(await listProposals(ctx, { freelancerId: ada, limit: 2 }, T0));
    expect(first.proposals.map((p) => p.jobId)).toEqual([jobs[2], jobs[1]]);
    const rest = value(
      await listProposals(ctx, { freelancerId: ada, limit: 2, cursor: first.nextCursor ?? '' }, T0),
    );
    expect(rest).toEqual({ proposals: [expect.objectContaining({ jobId: jobs[0] })], nextCursor: null });
    const one = value(await listProposals(ctx, { freelancerId: ada, jobId: jobs[1] ?? '' }, T0));
    expect(one.proposals.map((p) => p.proposalId)).toEqual([`${jobs[1]}-ada`]);
    expect(value(await listProposals(ctx, { freelancerId: bob }, T0)).proposals).toEqual([]);
    expect(code(await listProposals(ctx, { freelancerId: 'nobody' }, T0))).toBe('freelancer_not_found');
    expect(code(await listProposals(ctx, { freelancerId: ada, cursor: 'bad' }, T0))).toBe(
      'validation_failed',
    );
    expect(code(await listProposals(ctx, { freelancerId: ada, limit: 0 }, T0))).toBe('validation_failed');
  });

  it("names the jobs of a freelancer's own proposals only", async () => {
    const ids = jobs.map((j) => `${j}-ada`);
    expect(await jobsOfProposals(opened.store, ada, [...ids, 'unknown'])).toEqual(
      new Map(ids.map((id, i) => [id, jobs[i]])),
    );
    expect(await jobsOfProposals(opened.store, bob, ids)).toEqual(new Map());
    expect(await jobsOfProposals(opened.store, ada, [])).toEqual(new Map());
  });

  it('lists jobs by status, open by default', async () => {
    const gone = jobs[0] ?? '';
    value(await cancelJob(ctx, { jobId: gone, reason: 'tos' }, T0 + 600_000));
    const ids = async (status?: 'open' | 'removed' | 'all') =>
      value(await listJobs(ctx, status === undefined ? {} : { status, limit: 100 }, T0))
        .jobs.map((j) => j.jobId)
        .filter((id) => jobs.includes(id));
    expect(await ids()).toEqual([jobs[2], jobs[1]]);
    expect(await ids('removed')).toEqual([gone]);
    expect(await ids('all')).toEqual([jobs[2], jobs[1], gone]);
    expect(code(await listJobs(ctx, { status: 'closed' as 'open' }, T0))).toBe('validation_failed');
  });
});
