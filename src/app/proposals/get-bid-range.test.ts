import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { getJob } from '../jobs/get-job.ts';
import { postJob } from '../jobs/post-job.ts';
import { addFreelancer, code, freshId, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { bidRangeOf, getBidRange } from './get-bid-range.ts';
import { submitProposal } from './submit-proposal.ts';
import { withdrawProposal } from './withdraw-proposal.ts';

describe.each(testEngines)('bid range on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  let ctx: AppContext;
  let jobId: string;
  let plus: string;
  let basic: string;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
    ctx = jobsContext(store);
    plus = await addFreelancer(store, 'plus');
    basic = await addFreelancer(store, 'basic');
    jobId = freshId('job');
    // Free to apply, so the bidders need no Connects.
    value(await postJob(ctx, { id: jobId, clientId: 'cl', connectsRequired: 0 }, T0));
    for (const bidCents of [10_000, 15_001, 20_000, 99_999]) {
      const fl = await addFreelancer(store);
      const proposalId = `${jobId}-${bidCents}`;
      value(await submitProposal(ctx, { proposalId, jobId, freelancerId: fl, bidCents }, T0));
      if (bidCents === 99_999) value(await withdrawProposal(ctx, { proposalId, freelancerId: fl }, T0 + 1));
    }
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it('shows Plus members the low, average (rounded) and high bid of the standing proposals', async () => {
    expect(value(await getBidRange(ctx, { jobId, freelancerId: plus }, T0 + 2))).toEqual({
      jobId,
      proposals: 3,
      lowCents: 10_000,
      averageCents: 15_000,
      highCents: 20_000,
    });
  });

  it('refuses Basic members with plan_required and unknown jobs or freelancers', async () => {
    expect(await getBidRange(ctx, { jobId, freelancerId: basic }, T0)).toMatchObject({
      ok: false,
      error: { code: 'plan_required', details: { plan: 'basic' } },
    });
    expect(code(await getBidRange(ctx, { jobId: 'nope', freelancerId: plus }, T0))).toBe('job_not_found');
    expect(code(await getBidRange(ctx, { jobId, freelancerId: 'nobody' }, T0))).toBe('freelancer_not_found');
  });

  it('gives an empty range on a job nobody bid on', async () => {
    const empty = freshId('job');
    value(await postJob(ctx, { id: empty, clientId: 'cl' }, T0));
    expect(value(await getBidRange(ctx, { jobId: empty, freelancerId: plus }, T0))).toEqual({
      jobId: empty,
      proposals: 0,
      lowCents: null,
      averageCents: null,
      highCents: null,
    });
  });

  it('adds the range to get-job for a Plus viewer; a Basic viewer asking for it gets plan_required', async () => {
    expect(value(await getJob(ctx, { jobId, viewerFreelancerId: plus }, T0)).bidRange).toMatchObject({
      averageCents: 15_000,
    });
    expect(value(await getJob(ctx, { jobId, viewerFreelancerId: basic }, T0)).bidRange).toBeNull();
    expect(value(await getJob(ctx, { jobId }, T0)).bidRange).toBeNull();
    expect(code(await getJob(ctx, { jobId, viewerFreelancerId: basic, withBidRange: true }, T0))).toBe(
      'plan_required',
    );
    expect(code(await getJob(ctx, { jobId, withBidRange: true }, T0))).toBe('validation_failed');
  });

  it("leaves the asking freelancer's own bid out: the range is its competitors'", async () => {
    const own = { proposalId: `${jobId}-plus`, jobId, freelancerId: plus, bidCents: 80_000 };
    value(await submitProposal(ctx, own, T0 + 3));
    const competitors = { jobId, proposals: 3, lowCents: 10_000, averageCents: 15_000, highCents: 20_000 };
    expect(value(await getBidRange(ctx, { jobId, freelancerId: plus }, T0 + 4))).toEqual(competitors);
    expect(value(await getJob(ctx, { jobId, viewerFreelancerId: plus }, T0 + 4)).bidRange).toEqual(
      competitors,
    );
    // Seen by nobody in particular (the operator), every standing bid counts.
    expect(await bidRangeOf(store, jobId)).toEqual({
      jobId,
      proposals: 4,
      lowCents: 10_000,
      averageCents: 31_250,
      highCents: 80_000,
    });
  });
});
