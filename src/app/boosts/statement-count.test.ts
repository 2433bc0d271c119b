import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerStore } from '../../store/ledger-store.ts';
import { countingClient } from '../../store/testing/counting-client.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { postJob } from '../jobs/post-job.ts';
import { addFreelancer, DAY, freshId, fund, jobsContext, T0, timelineWith, value } from '../jobs/test-kit.ts';
import { submitProposal } from '../proposals/submit-proposal.ts';

/**
 * The statement budget of the hot path: a boosted proposal that outbids a
 * held boost debits the bidder, holds its bid and releases the outbid hold
 * on another account, and writes the proposal and the auction. 14: the
 * capped-renewal look-up before the transaction, BEGIN, five reads (job,
 * proposal, freelancer, duplicate, auction), the ledger's lock, load and
 * write for both accounts at once, the proposal, the job's count, the boosts
 * (new and changed in one statement), COMMIT. It was 18 when the ledger ran
 * three statements per account and the boosts one per row. A change that
 * adds statements here fails this test; raise the budget only on purpose.
 */
const BUDGET = { statements: 14, roundTrips: 14 };

describe.each(testEngines)('statements per boosted proposal on $name', (engine) => {
  let opened: OpenedEngine;
  let counting: ReturnType<typeof countingClient>;
  let ctx: AppContext;
  beforeAll(async () => {
    opened = await engine.open();
    counting = countingClient(opened.client);
    // One slot: the second boost outbids the first. The store is not closed: the engine owns the client.
    const timeline = timelineWith((p) => ({ ...p, boost: { ...p.boost, slots: 1 } }));
    ctx = jobsContext(createLedgerStore(counting), timeline);
  });
  afterAll(() => opened.cleanup());

  it(`stays within ${BUDGET.statements} statements when it outbids a held boost`, async () => {
    const jobId = freshId('job');
    value(await postJob(ctx, { id: jobId, clientId: 'client', budgetCents: 60_000 }, T0));
    const [first, second] = [await addFreelancer(ctx.store), await addFreelancer(ctx.store)];
    await fund(ctx.store, first, 20, T0);
    await fund(ctx.store, second, 20, T0);
    const bid = (freelancerId: string, boostConnects: number) => ({
      proposalId: freshId('prop'),
      jobId,
      freelancerId,
      bidCents: 50_000,
      boostConnects,
    });
    value(await submitProposal(ctx, bid(first, 1), T0 + DAY));

    counting.reset();
    const out = value(await submitProposal(ctx, bid(second, 2), T0 + DAY + 1));
    const seen = { statements: counting.count.statements, roundTrips: counting.count.roundTrips };

    expect(out.boost?.status).toBe('held');
    const boosts = await ctx.store.query<{ freelancer_id: string; status: string }>(
      'SELECT freelancer_id, status FROM boosts WHERE job_id = $1 ORDER BY seq',
      [jobId],
    );
    expect(boosts.rows).toEqual([
      { freelancer_id: first, status: 'released' },
      { freelancer_id: second, status: 'held' },
    ]);
    expect(seen.statements, counting.count.log.join('\n---\n')).toBeLessThanOrEqual(BUDGET.statements);
    expect(seen.roundTrips).toBeLessThanOrEqual(BUDGET.roundTrips);
  });
});
