import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarYears } from '../../core/calendar.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { interactWithProposal } from '../boosts/interact-with-proposal.ts';
import type { AppContext } from '../context.ts';
import { submitProposal } from '../proposals/submit-proposal.ts';
import { cancelJob } from './cancel-job.ts';
import { postJob } from './post-job.ts';
import { addFreelancer, code, DAY, freshId, fund, jobsContext, T0, timelineWith, value } from './test-kit.ts';

describe.each(testEngines)('cancel-job on $name', (engine) => {
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

  /** A job (price 4) with one proposal boosted by 3, charged by an open. */
  async function charged(c: AppContext, expiresAt: number) {
    const jobId = freshId('job');
    value(await postJob(c, { id: jobId, clientId: 'cl', budgetCents: 10_000 }, T0));
    const fl = await addFreelancer(store);
    await fund(store, fl, 7, T0, expiresAt);
    const proposalId = freshId('prop');
    value(
      await submitProposal(c, { proposalId, jobId, freelancerId: fl, bidCents: 1, boostConnects: 3 }, T0),
    );
    value(await interactWithProposal(c, { interactionId: 'open', proposalId, kind: 'opens' }, T0 + 1));
    return { jobId, fl, proposalId };
  }

  it('reinstates cost and charged boost in the original lots, with their original expiry', async () => {
    const { jobId, fl } = await charged(ctx, T0 + 300 * DAY);
    expect(await store.balance(fl, T0 + 1)).toEqual({ balance: 0, available: 0, held: 0 });
    const out = value(await cancelJob(ctx, { jobId, reason: 'client' }, T0 + DAY));
    expect(out).toMatchObject({
      refundedConnects: 7,
      expiredAtOnce: 0,
      releasedConnects: 0,
      replayed: false,
    });
    expect(out.job).toMatchObject({ status: 'cancelled', closedAt: T0 + DAY });
    expect(out.job.auction).toMatchObject({ closedAt: T0 + DAY, closeReason: 'cancel' });
    const lots = (await store.lots(fl)).filter((l) => l.source === 'purchase');
    expect(lots.map((l) => [l.amount, l.remaining, l.expiresAt])).toEqual([[7, 7, T0 + 300 * DAY]]);
  });

  it('answers what expired at once when a refund goes back into a lot that expired meanwhile', async () => {
    // Cost 4 and boost 3 drawn from a lot expiring on day 2; the job is cancelled on day 5.
    const { jobId, fl } = await charged(ctx, T0 + 2 * DAY);
    const out = value(await cancelJob(ctx, { jobId, reason: 'client' }, T0 + 5 * DAY));
    expect(out).toMatchObject({ refundedConnects: 7, expiredAtOnce: 7, releasedConnects: 0 });
    expect(await store.balance(fl, T0 + 5 * DAY)).toMatchObject({ balance: 0 });
    const again = value(await cancelJob(ctx, { jobId, reason: 'client' }, T0 + 6 * DAY));
    expect(again).toEqual({ ...out, replayed: true });
  });

  it('issues fresh lots with a fresh lifetime under refundMode fresh_lot', async () => {
    const fresh = jobsContext(
      store,
      timelineWith((p) => ({ ...p, refundMode: 'fresh_lot' })),
    );
    const { jobId, fl } = await charged(fresh, T0 + 2 * DAY);
    const now = T0 + 5 * DAY;
    value(await cancelJob(fresh, { jobId, reason: 'tos' }, now));
    const refunds = (await store.lots(fl)).filter((l) => l.source === 'refund');
    expect(refunds.map((l) => [l.amount, l.issuedAt, l.expiresAt])).toEqual([
      [4, now, addCalendarYears(now, 1)],
      [3, now, addCalendarYears(now, 1)],
    ]);
    expect(await store.balance(fl, now)).toEqual({ balance: 7, available: 7, held: 0 });
  });

  it('is idempotent: a second cancellation changes nothing; the other reason conflicts', async () => {
    const { jobId, fl } = await charged(ctx, T0 + 300 * DAY);
    const first = value(await cancelJob(ctx, { jobId, reason: 'tos' }, T0 + DAY));
    expect(first.job.status).toBe('removed');
    const second = value(await cancelJob(ctx, { jobId, reason: 'tos' }, T0 + 2 * DAY));
    expect(second).toEqual({ ...first, replayed: true });
    expect(code(await cancelJob(ctx, { jobId, reason: 'client' }, T0 + 2 * DAY))).toBe(
      'idempotency_conflict',
    );
    expect(await store.balance(fl, T0 + 2 * DAY)).toMatchObject({ balance: 7 });
    const refunds = value(await store.entries(fl, { types: ['refund'] })).entries;
    expect(refunds).toHaveLength(2);
  });

  it('cancels a job without proposals and refuses an unknown one', async () => {
    const jobId = freshId('job');
    value(await postJob(ctx, { id: jobId, clientId: 'cl' }, T0));
    expect(value(await cancelJob(ctx, { jobId, reason: 'client' }, T0 + 1))).toMatchObject({
      refundedConnects: 0,
      releasedConnects: 0,
    });
    expect(code(await cancelJob(ctx, { jobId: 'no-such-job', reason: 'client' }, T0))).toBe('job_not_found');
  });
});
