import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { interactWithProposal } from '../boosts/interact-with-proposal.ts';
import type { AppContext } from '../context.ts';
import { cancelJob } from '../jobs/cancel-job.ts';
import { getJob } from '../jobs/get-job.ts';
import { hireFreelancer } from '../jobs/hire-freelancer.ts';
import { postJob } from '../jobs/post-job.ts';
import { addFreelancer, code, DAY, freshId, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { submitProposal } from './submit-proposal.ts';
import { withdrawProposal } from './withdraw-proposal.ts';

describe.each(testEngines)('withdraw-proposal on $name', (engine) => {
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

  async function setUp(boosts: number[]): Promise<{ jobId: string; fls: string[]; ids: string[] }> {
    const jobId = freshId('job');
    value(await postJob(ctx, { id: jobId, clientId: 'cl', budgetCents: 10_000 }, T0));
    const fls: string[] = [];
    const ids: string[] = [];
    for (const boost of boosts) {
      const fl = await addFreelancer(store);
      await fund(store, fl, 20, T0);
      const proposalId = freshId('prop');
      value(
        await submitProposal(
          ctx,
          { proposalId, jobId, freelancerId: fl, bidCents: 1, boostConnects: boost },
          T0,
        ),
      );
      fls.push(fl);
      ids.push(proposalId);
    }
    return { jobId, fls, ids };
  }

  it('refunds nothing, releases a held boost, and is idempotent', async () => {
    const { fls, ids } = await setUp([5]);
    const [fl, id] = [fls[0]!, ids[0]!];
    expect(await store.balance(fl, T0)).toEqual({ balance: 16, available: 11, held: 5 });
    const out = value(await withdrawProposal(ctx, { proposalId: id, freelancerId: fl }, T0 + DAY));
    expect(out).toMatchObject({
      proposal: { status: 'withdrawn', withdrawnAt: T0 + DAY, costConnects: 4 },
      boost: { status: 'released', rank: null },
      replayed: false,
    });
    expect(await store.balance(fl, T0 + DAY)).toEqual({ balance: 16, available: 16, held: 0 });
    const again = value(await withdrawProposal(ctx, { proposalId: id, freelancerId: fl }, T0 + 2 * DAY));
    expect(again).toEqual({ ...out, replayed: true });
    expect(code(await hireFreelancer(ctx, { proposalId: id }, T0 + 2 * DAY))).toBe('proposal_closed');
  });

  it('keeps a charged boost charged, hides the proposal, and forfeits it when the job is cancelled', async () => {
    const { jobId, fls, ids } = await setUp([5, 3]);
    value(
      await interactWithProposal(ctx, { interactionId: 'o1', proposalId: ids[0]!, kind: 'opens' }, T0 + 1),
    );
    value(await withdrawProposal(ctx, { proposalId: ids[0]!, freelancerId: fls[0]! }, T0 + 2));
    const view = value(await getJob(ctx, { jobId }, T0 + 3));
    expect(view.ranking.map((r) => [r.proposalId, r.rank])).toEqual([[ids[1], 2]]);
    const cancelled = value(await cancelJob(ctx, { jobId, reason: 'client' }, T0 + DAY));
    expect(cancelled).toMatchObject({ refundedConnects: 4, releasedConnects: 3 });
    expect(await store.balance(fls[0]!, T0 + DAY)).toEqual({ balance: 11, available: 11, held: 0 });
    expect(await store.balance(fls[1]!, T0 + DAY)).toEqual({ balance: 20, available: 20, held: 0 });
  });

  it("reports someone else's proposal as unknown and refuses on a hired job", async () => {
    const { fls, ids } = await setUp([2, 1]);
    expect(code(await withdrawProposal(ctx, { proposalId: ids[0]!, freelancerId: fls[1]! }, T0))).toBe(
      'proposal_not_found',
    );
    value(await hireFreelancer(ctx, { proposalId: ids[1]! }, T0 + 1));
    expect(code(await withdrawProposal(ctx, { proposalId: ids[0]!, freelancerId: fls[0]! }, T0 + 2))).toBe(
      'job_closed',
    );
    expect(code(await withdrawProposal(ctx, { proposalId: ids[1]!, freelancerId: fls[1]! }, T0 + 2))).toBe(
      'proposal_closed',
    );
  });
});
