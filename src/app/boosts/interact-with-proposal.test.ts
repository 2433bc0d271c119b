import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { cancelJob } from '../jobs/cancel-job.ts';
import { getJob } from '../jobs/get-job.ts';
import { postJob } from '../jobs/post-job.ts';
import { addFreelancer, code, DAY, freshId, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { submitProposal } from '../proposals/submit-proposal.ts';
import { withdrawProposal } from '../proposals/withdraw-proposal.ts';
import { interactWithProposal, type InteractWithProposalInput } from './interact-with-proposal.ts';

describe.each(testEngines)('interact-with-proposal on $name', (engine) => {
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

  /** A job with one proposal per boost bid (null: no boost); returns ids and freelancers. */
  async function setUp(boosts: (number | null)[]) {
    const jobId = freshId('job');
    value(await postJob(ctx, { id: jobId, clientId: 'cl', budgetCents: 100 }, T0));
    const fls: string[] = [];
    const ids: string[] = [];
    for (const boost of boosts) {
      const fl = await addFreelancer(store);
      await fund(store, fl, 20, T0);
      const proposalId = freshId('prop');
      const input = { proposalId, jobId, freelancerId: fl, bidCents: 1 };
      value(await submitProposal(ctx, boost === null ? input : { ...input, boostConnects: boost }, T0));
      fls.push(fl);
      ids.push(proposalId);
    }
    return { jobId, fls, ids };
  }

  let n = 0;
  const act = (proposalId: string, kind: InteractWithProposalInput['kind'], t: number) =>
    interactWithProposal(ctx, { interactionId: `i${++n}`, proposalId, kind }, t);

  it('charges a held boost on any interaction but a view', async () => {
    for (const kind of ['opens', 'messages', 'shortlists', 'offers', 'archives', 'declines'] as const) {
      const { fls, ids } = await setUp([4]);
      expect(value(await act(ids[0]!, 'views', T0 + 1)).chargedConnects).toBe(0);
      expect(await store.balance(fls[0]!, T0 + 1)).toEqual({ balance: 18, available: 14, held: 4 });
      const out = value(await act(ids[0]!, kind, T0 + 2));
      expect(out).toMatchObject({ kind, chargedConnects: 4, boost: { status: 'charged', rank: 1 } });
      // Charged once: later interactions charge nothing more, and declining refunds nothing.
      expect(value(await act(ids[0]!, kind, T0 + 3)).chargedConnects).toBe(0);
      expect(await store.balance(fls[0]!, T0 + 3)).toEqual({ balance: 14, available: 14, held: 0 });
    }
  });

  it('ends the Boosted mark after 3 opens or 5 views of a charged boost', async () => {
    const { jobId, ids } = await setUp([4, 3]);
    for (let i = 0; i < 3; i++) value(await act(ids[0]!, 'opens', T0 + 1 + i));
    value(await act(ids[1]!, 'opens', T0 + 10));
    for (let i = 0; i < 4; i++) value(await act(ids[1]!, 'views', T0 + 11 + i));
    let ranking = value(await getJob(ctx, { jobId }, T0 + 20)).ranking;
    expect(ranking.map((r) => [r.rank, r.boosted])).toEqual([
      [1, false],
      [2, true],
    ]);
    value(await act(ids[1]!, 'views', T0 + 21));
    ranking = value(await getJob(ctx, { jobId }, T0 + 22)).ranking;
    expect(ranking.map((r) => [r.rank, r.status, r.boosted])).toEqual([
      [1, 'charged', false],
      [2, 'charged', false],
    ]);
  });

  it('leaves proposals without a live boost alone', async () => {
    const { fls, ids } = await setUp([null]);
    expect(value(await act(ids[0]!, 'opens', T0 + 1))).toMatchObject({ chargedConnects: 0, boost: null });
    expect(await store.balance(fls[0]!, T0 + 1)).toMatchObject({ balance: 18 });
  });

  it('closes an auction past its deadline first: the bid is charged by the close, not the interaction', async () => {
    const { jobId, fls, ids } = await setUp([4]);
    const late = T0 + 8 * DAY;
    expect(value(await act(ids[0]!, 'opens', late))).toMatchObject({
      chargedConnects: 0,
      boost: { status: 'charged' },
    });
    expect(await store.balance(fls[0]!, late)).toEqual({ balance: 14, available: 14, held: 0 });
    const job = value(await getJob(ctx, { jobId }, late)).job;
    // The auction closed at its deadline (a day before anyone noticed): the close and its charge are dated then.
    const deadline = T0 + 7 * DAY;
    expect(job.auction).toMatchObject({ closesAt: deadline, closedAt: deadline, closeReason: 'deadline' });
    const captures = value(await store.entries(fls[0]!, { types: ['hold_capture'] })).entries;
    expect(captures.map((e) => [e.effectiveAt, e.recordedAt])).toEqual([[deadline, late]]);
  });

  it('is idempotent by interaction id and refuses a reused id for another event', async () => {
    const { ids } = await setUp([4, 2]);
    const input = { interactionId: freshId('int'), proposalId: ids[0]!, kind: 'opens' as const };
    const first = value(await interactWithProposal(ctx, input, T0 + 1));
    expect(value(await interactWithProposal(ctx, input, T0 + 2))).toEqual({ ...first, replayed: true });
    expect(code(await interactWithProposal(ctx, { ...input, kind: 'messages' }, T0 + 2))).toBe(
      'idempotency_conflict',
    );
    expect(code(await interactWithProposal(ctx, { ...input, proposalId: ids[1]! }, T0 + 2))).toBe(
      'idempotency_conflict',
    );
  });

  it('refuses withdrawn proposals, cancelled jobs and unknown proposals', async () => {
    const { jobId, fls, ids } = await setUp([4, 2]);
    value(await withdrawProposal(ctx, { proposalId: ids[0]!, freelancerId: fls[0]! }, T0 + 1));
    expect(code(await act(ids[0]!, 'opens', T0 + 2))).toBe('proposal_closed');
    value(await cancelJob(ctx, { jobId, reason: 'client' }, T0 + 3));
    expect(code(await act(ids[1]!, 'opens', T0 + 4))).toBe('job_closed');
    expect(code(await act('missing', 'opens', T0 + 4))).toBe('proposal_not_found');
  });
});
