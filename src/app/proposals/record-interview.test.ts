import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarYears } from '../../core/calendar.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { cancelJob } from '../jobs/cancel-job.ts';
import { postJob } from '../jobs/post-job.ts';
import {
  addFreelancer,
  code,
  DAY,
  freshId,
  fund,
  jobsContext,
  T0,
  timelineWith,
  value,
} from '../jobs/test-kit.ts';
import { recordInterview } from './record-interview.ts';
import { submitProposal, type SubmitProposalInput } from './submit-proposal.ts';
import { withdrawProposal } from './withdraw-proposal.ts';

describe.each(testEngines)('record-interview on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  let ctx: AppContext;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
    // A cap of 25 with a reward of 10 makes a partly capped interview possible.
    ctx = jobsContext(
      store,
      timelineWith((p) => ({ ...p, grants: { ...p.grants, interviewWeeklyCap: 25 } })),
    );
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  /** A proposal by `fl` to a new job; returns its id. */
  async function propose(
    fl: string,
    more: Partial<SubmitProposalInput> = {},
    job: object = {},
  ): Promise<string> {
    const jobId = freshId('job');
    value(await postJob(ctx, { id: jobId, clientId: 'cl', budgetCents: 100, ...job }, T0));
    const proposalId = freshId('prop');
    value(await submitProposal(ctx, { proposalId, jobId, freelancerId: fl, bidCents: 100, ...more }, T0));
    return proposalId;
  }

  it('grants the reward up to the rolling weekly cap and records the withheld excess', async () => {
    const fl = await addFreelancer(store);
    await fund(store, fl, 100, T0);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await propose(fl));
    const interview = async (i: number, t: number) =>
      value(await recordInterview(ctx, { proposalId: ids[i]! }, t));
    expect(await interview(0, T0 + DAY)).toMatchObject({ connects: 10, withheldConnects: 0, reason: null });
    expect(await interview(1, T0 + 2 * DAY)).toMatchObject({
      connects: 10,
      withheldConnects: 0,
      reason: null,
    });
    expect(await interview(2, T0 + 3 * DAY)).toMatchObject({
      connects: 5,
      withheldConnects: 5,
      reason: 'weekly_cap',
    });
    expect(await interview(3, T0 + 4 * DAY)).toMatchObject({
      connects: 0,
      withheldConnects: 10,
      reason: 'weekly_cap',
    });
    // Exactly 7 days after the first reward it has left the window: 10 fit again.
    expect(await interview(4, T0 + 8 * DAY)).toMatchObject({
      connects: 10,
      withheldConnects: 0,
      reason: null,
    });
    const rows = await store.query<{ connects: number; reason: string | null }>(
      'SELECT connects, reason FROM interviews WHERE freelancer_id = $1 ORDER BY at',
      [fl],
    );
    expect(rows.rows.map((r) => [r.connects, r.reason])).toEqual([
      [10, null],
      [10, null],
      [5, 'weekly_cap'],
      [0, 'weekly_cap'],
      [10, null],
    ]);
    const lots = (await store.lots(fl)).filter((l) => l.source === 'interview');
    expect(lots.map((l) => [l.amount, l.category, l.expiresAt])).toEqual([
      [10, 'free', addCalendarYears(T0 + DAY, 1)],
      [10, 'free', addCalendarYears(T0 + 2 * DAY, 1)],
      [5, 'free', addCalendarYears(T0 + 3 * DAY, 1)],
      [10, 'free', addCalendarYears(T0 + 8 * DAY, 1)],
    ]);
  });

  it('judges the cap over grants.interviewWindowDays of the policy in force', async () => {
    const twoDays = jobsContext(
      store,
      timelineWith((p) => ({
        ...p,
        grants: { ...p.grants, interviewWeeklyCap: 10, interviewWindowDays: 2 },
      })),
    );
    const fl = await addFreelancer(store);
    await fund(store, fl, 100, T0);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await propose(fl));
    const interview = async (i: number, t: number) =>
      value(await recordInterview(twoDays, { proposalId: ids[i]! }, t)).connects;
    expect(await interview(0, T0 + DAY)).toBe(10);
    expect(await interview(1, T0 + 3 * DAY - 1)).toBe(0);
    // Two days after the first reward it has left the 2-day window (a 7-day window would still hold it).
    expect(await interview(2, T0 + 3 * DAY)).toBe(10);
  });

  it('never exceeds the cap when interviews of one freelancer arrive at once', async () => {
    const fl = await addFreelancer(store);
    await fund(store, fl, 100, T0);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await propose(fl));
    const results = await Promise.all(ids.map((id) => recordInterview(ctx, { proposalId: id }, T0 + DAY)));
    const granted = results.map((r) => value(r)).reduce((sum, r) => sum + r.connects, 0);
    expect(granted).toBe(25);
    const lots = (await store.lots(fl)).filter((l) => l.source === 'interview');
    expect(lots.reduce((sum, l) => sum + l.amount, 0)).toBe(25);
  });

  it('records once per proposal: a repeat returns the first record and grants nothing', async () => {
    const fl = await addFreelancer(store);
    await fund(store, fl, 10, T0);
    const id = await propose(fl);
    const first = value(await recordInterview(ctx, { proposalId: id }, T0 + DAY));
    const again = value(await recordInterview(ctx, { proposalId: id }, T0 + 2 * DAY));
    expect(again).toEqual({ ...first, replayed: true });
    expect(await store.balance(fl, T0 + 2 * DAY)).toMatchObject({ balance: 18 });
  });

  it('rewards nothing on free paths and enterprise jobs, and says why', async () => {
    const fl = await addFreelancer(store);
    for (const via of ['invitation', 'offer', 'catalog'] as const) {
      const id = await propose(fl, { via });
      expect(value(await recordInterview(ctx, { proposalId: id }, T0 + DAY))).toMatchObject({
        connects: 0,
        withheldConnects: 0,
        reason: via,
      });
    }
    const enterprise = await propose(fl, {}, { enterprise: true });
    expect(value(await recordInterview(ctx, { proposalId: enterprise }, T0 + DAY)).reason).toBe('enterprise');
    expect(await store.balance(fl, T0 + DAY)).toMatchObject({ balance: 0 });
  });

  it('refuses unknown and withdrawn proposals and cancelled jobs', async () => {
    const fl = await addFreelancer(store);
    await fund(store, fl, 10, T0);
    expect(code(await recordInterview(ctx, { proposalId: 'nope' }, T0))).toBe('proposal_not_found');
    const withdrawn = await propose(fl);
    value(await withdrawProposal(ctx, { proposalId: withdrawn, freelancerId: fl }, T0 + 1));
    expect(code(await recordInterview(ctx, { proposalId: withdrawn }, T0 + 2))).toBe('proposal_closed');
    const jobId = freshId('job');
    value(await postJob(ctx, { id: jobId, clientId: 'cl', budgetCents: 100 }, T0));
    value(await submitProposal(ctx, { proposalId: `${jobId}-p`, jobId, freelancerId: fl, bidCents: 1 }, T0));
    value(await cancelJob(ctx, { jobId, reason: 'tos' }, T0 + 1));
    expect(code(await recordInterview(ctx, { proposalId: `${jobId}-p` }, T0 + 2))).toBe('job_closed');
  });
});
