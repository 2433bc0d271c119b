import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { postJob } from '../jobs/post-job.ts';
import { addFreelancer, DAY, freshId, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { submitProposal } from '../proposals/submit-proposal.ts';
import { closeDueAuctions } from './close-due-auctions.ts';

describe.each(testEngines)('close-due-auctions on $name', (engine) => {
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

  it('dates the charges and releases of a late close at the deadline, not when the scheduler ran', async () => {
    const jobId = freshId('job');
    value(await postJob(ctx, { id: jobId, clientId: 'cl', budgetCents: 100 }, T0));
    const bidders: string[] = [];
    // Five bids for four slots: the lowest was released at placement; the four left are charged at close.
    for (const bid of [5, 4, 3, 2, 1]) {
      const fl = await addFreelancer(store);
      await fund(store, fl, 20, T0);
      const input = { proposalId: freshId('prop'), jobId, freelancerId: fl, bidCents: 1, boostConnects: bid };
      value(await submitProposal(ctx, input, T0 + bid));
      bidders.push(fl);
    }
    const deadline = T0 + 7 * DAY;
    const tickAt = deadline + 2 * DAY + 17;
    expect(await closeDueAuctions(ctx, tickAt, 100)).toBe(1);
    for (const fl of bidders.slice(0, 4)) {
      const captures = value(await store.entries(fl, { types: ['hold_capture'] })).entries;
      expect(captures.map((e) => [e.effectiveAt, e.recordedAt])).toEqual([[deadline, tickAt]]);
      expect(await store.balanceAsOf(fl, deadline - 1)).toMatchObject({ held: captures[0]?.amount });
      expect(await store.balanceAsOf(fl, deadline)).toMatchObject({ held: 0 });
    }
    const job = await store.query<{ auction_closed_at: number }>(
      'SELECT auction_closed_at FROM jobs WHERE job_id = $1',
      [jobId],
    );
    expect(Number(job.rows[0]?.auction_closed_at)).toBe(deadline);
    const settled = await store.query<{ settled_at: number }>(
      "SELECT settled_at FROM boosts WHERE job_id = $1 AND status = 'charged'",
      [jobId],
    );
    expect(settled.rows.map((r) => Number(r.settled_at))).toEqual([deadline, deadline, deadline, deadline]);
  });
});
