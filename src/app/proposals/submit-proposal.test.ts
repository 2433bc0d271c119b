import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { cancelJob } from '../jobs/cancel-job.ts';
import { hireFreelancer } from '../jobs/hire-freelancer.ts';
import { postJob } from '../jobs/post-job.ts';
import { addFreelancer, code, DAY, freshId, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { submitProposal, type SubmitProposalInput } from './submit-proposal.ts';

describe.each(testEngines)('submit-proposal on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  let ctx: AppContext;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
    ctx = jobsContext(store);
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  async function job(fields: Record<string, unknown> = { budgetCents: 60_000 }): Promise<string> {
    const id = freshId('job');
    value(await postJob(ctx, { id, clientId: 'client', ...fields }, T0));
    return id;
  }

  async function funded(connects: number): Promise<string> {
    const fl = await addFreelancer(store);
    await fund(store, fl, connects, T0);
    return fl;
  }

  const proposal = (jobId: string, freelancerId: string, more: Partial<SubmitProposalInput> = {}) => ({
    proposalId: freshId('prop'),
    jobId,
    freelancerId,
    bidCents: 50_000,
    ...more,
  });

  it('debits the job price from the lots and records the money bid', async () => {
    const jobId = await job();
    const fl = await funded(20);
    const input = proposal(jobId, fl);
    const out = value(await submitProposal(ctx, input, T0 + DAY));
    expect(out).toMatchObject({
      proposal: { jobId, freelancerId: fl, bidCents: 50_000, via: 'feed', costConnects: 6, status: 'active' },
      boost: null,
      replayed: false,
    });
    expect(await store.balance(fl, T0 + DAY)).toEqual({ balance: 14, available: 14, held: 0 });
    const history = value(await store.entries(fl, { types: ['debit'] }));
    expect(history.entries).toMatchObject([
      { amount: 6, ref: `proposal:${input.proposalId}`, postings: [{ lotNo: 3, amount: -6 }] },
    ]);
  });

  it('is idempotent by proposal id; other details under that id are proposal_exists', async () => {
    const jobId = await job();
    const fl = await funded(20);
    const input = proposal(jobId, fl, { boostConnects: 3 });
    const first = value(await submitProposal(ctx, input, T0 + DAY));
    const again = value(await submitProposal(ctx, input, T0 + 2 * DAY));
    expect(again).toEqual({ ...first, replayed: true });
    expect(await store.balance(fl, T0 + 2 * DAY)).toEqual({ balance: 14, available: 11, held: 3 });
    expect(code(await submitProposal(ctx, { ...input, bidCents: 1 }, T0 + DAY))).toBe('proposal_exists');
  });

  it('refuses a second proposal by the same freelancer to the job', async () => {
    const jobId = await job();
    const fl = await funded(20);
    value(await submitProposal(ctx, proposal(jobId, fl), T0));
    expect(code(await submitProposal(ctx, proposal(jobId, fl), T0 + 1))).toBe('duplicate_proposal');
    expect(await store.balance(fl, T0 + 1)).toMatchObject({ balance: 14 });
  });

  it('charges nothing on the free paths and to enterprise jobs', async () => {
    const jobId = await job();
    const fl = await funded(5);
    for (const via of ['invitation', 'offer', 'catalog'] as const) {
      const other = await funded(5);
      const out = value(await submitProposal(ctx, proposal(jobId, other, { via }), T0));
      expect(out.proposal).toMatchObject({ via, costConnects: 0 });
      expect(await store.balance(other, T0)).toMatchObject({ balance: 5 });
    }
    const enterprise = await job({ budgetCents: 500_000, enterprise: true });
    const out = value(await submitProposal(ctx, proposal(enterprise, fl), T0));
    expect(out.proposal.costConnects).toBe(0);
    const zero = await job({ connectsRequired: 0 });
    expect(value(await submitProposal(ctx, proposal(zero, fl), T0)).proposal.costConnects).toBe(0);
    expect(await store.balance(fl, T0)).toMatchObject({ balance: 5 });
  });

  it('fixes the price at submission', async () => {
    const jobId = await job({ budgetCents: 100 });
    const fl = await funded(10);
    const out = value(await submitProposal(ctx, proposal(jobId, fl), T0 + 30 * DAY));
    expect(out.proposal.costConnects).toBe(2);
  });

  it('refuses with insufficient_connects and writes nothing', async () => {
    const jobId = await job();
    const fl = await funded(7);
    const other = await funded(10);
    value(await submitProposal(ctx, proposal(jobId, other, { boostConnects: 1 }), T0));
    const r = await submitProposal(ctx, proposal(jobId, fl, { boostConnects: 2 }), T0 + 1);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'insufficient_connects', details: { needed: 2, available: 1 } },
    });
    expect(await store.balance(fl, T0 + 1)).toEqual({ balance: 7, available: 7, held: 0 });
    const rows = await store.query('SELECT 1 FROM proposals WHERE freelancer_id = $1', [fl]);
    expect(rows.rows).toEqual([]);
    const boosts = await store.query('SELECT 1 FROM boosts WHERE job_id = $1', [jobId]);
    expect(boosts.rows).toHaveLength(1);
  });

  it('refuses unknown jobs and freelancers, closed jobs, and bad boost bids', async () => {
    const fl = await funded(100);
    expect(code(await submitProposal(ctx, proposal('no-such-job', fl), T0))).toBe('job_not_found');
    const jobId = await job();
    expect(code(await submitProposal(ctx, proposal(jobId, 'nobody'), T0))).toBe('freelancer_not_found');
    expect(code(await submitProposal(ctx, proposal(jobId, fl, { boostConnects: 51 }), T0))).toBe(
      'invalid_amount',
    );
    const hiredJob = await job();
    const winner = await funded(10);
    const won = value(await submitProposal(ctx, proposal(hiredJob, winner), T0));
    value(await hireFreelancer(ctx, { proposalId: won.proposal.proposalId }, T0 + 1));
    expect(code(await submitProposal(ctx, proposal(hiredJob, fl), T0 + 2))).toBe('job_closed');
    const cancelled = await job();
    value(await cancelJob(ctx, { jobId: cancelled, reason: 'client' }, T0 + 1));
    expect(code(await submitProposal(ctx, proposal(cancelled, fl), T0 + 2))).toBe('job_closed');
  });

  it('accepts plain proposals after the auction closed but refuses boosts with auction_closed', async () => {
    const jobId = await job();
    const fl = await funded(30);
    const late = T0 + 7 * DAY;
    expect(code(await submitProposal(ctx, proposal(jobId, fl, { boostConnects: 2 }), late))).toBe(
      'auction_closed',
    );
    expect(await store.balance(fl, late)).toMatchObject({ balance: 30 });
    expect(value(await submitProposal(ctx, proposal(jobId, fl), late)).proposal.costConnects).toBe(6);
  });

  it('keeps the auction consistent when many freelancers bid on one job at once', async () => {
    const jobId = await job();
    const fls = await Promise.all(Array.from({ length: 10 }, () => funded(30)));
    const results = await Promise.all(
      fls.map((fl, i) => submitProposal(ctx, proposal(jobId, fl, { boostConnects: i + 1 }), T0 + DAY)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const boosts = await store.query<{ freelancer_id: string; bid_connects: number; status: string }>(
      'SELECT freelancer_id, bid_connects, status FROM boosts WHERE job_id = $1',
      [jobId],
    );
    expect(boosts.rows).toHaveLength(10);
    const held = boosts.rows.filter((b) => b.status === 'held').map((b) => b.bid_connects);
    expect(held.sort((a, b) => a - b)).toEqual([7, 8, 9, 10]);
    for (const b of boosts.rows) {
      const active = await store.holds(b.freelancer_id);
      expect(active.map((h) => h.amount)).toEqual(b.status === 'held' ? [b.bid_connects] : []);
    }
  });
});
