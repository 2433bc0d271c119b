import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import type { AppContext } from '../context.ts';
import { jobPolicy, readJob } from '../jobs/job-rows.ts';
import { postJob } from '../jobs/post-job.ts';
import { DAY, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { submitProposal } from '../proposals/submit-proposal.ts';
import { tick } from '../scheduler/tick.ts';
import { openPolicyTimeline } from './live-timeline.ts';
import { schedulePolicy } from './schedule-policy.ts';

/**
 * What a scheduled policy does to things in flight (docs/policy.md, "In
 * flight"), through the real use cases and the stored timeline: a job keeps
 * the price stamped at posting and its auction the rules of the job's policy,
 * a lot its stamped expiry; the next renewal issues the allotment of the
 * policy in force at that renewal.
 */
const CHANGE = T0 + DAY; // 2026-01-06 09:00
const LATER = T0 + 2 * DAY;
const NEXT_CYCLE = Date.UTC(2026, 1, 5); // registered on the 5th: cycles start on the 5th

const changed = {
  ...defaultPolicy,
  id: 'dearer',
  name: 'Rate card doubled, boosts from 5, 30-day lots, Basic 25',
  effectiveFrom: new Date(CHANGE).toISOString(),
  lotLifetime: { kind: 'days', days: 30 },
  plans: { ...defaultPolicy.plans, basic: { ...defaultPolicy.plans.basic, allotment: 25 } },
  rateCard: {
    ...defaultPolicy.rateCard,
    tiers: defaultPolicy.rateCard.tiers.map((t) => ({ ...t, connects: t.connects * 2 })),
  },
  boost: { ...defaultPolicy.boost, minBidConnects: 5 },
};

describe.each(testEngines)('a policy change and things in flight ($name)', (engine) => {
  let opened: OpenedEngine;
  let ctx: AppContext;
  const id = 'fl-in-flight';

  beforeAll(async () => {
    opened = await engine.open();
    ctx = jobsContext(opened.store, await openPolicyTimeline(opened.store, T0));
    value(await registerFreelancer(ctx, { id }, T0));
    await fund(opened.store, id, 200, T0);
    value(await postJob(ctx, { id: 'job-before', clientId: 'client', budgetCents: 60_000 }, T0));
    value(await schedulePolicy(ctx, { policy: changed, scheduledBy: 'test' }, T0));
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it('a job posted before keeps its price and its auction rules; one posted after takes the new ones', async () => {
    const before = value(await readJob(opened.store, 'job-before', false));
    expect(before.connectsRequired).toBe(6);
    expect(jobPolicy(ctx.timeline, before).id).toBe('era-2023');
    value(await postJob(ctx, { id: 'job-after', clientId: 'client', budgetCents: 60_000 }, LATER));
    expect(value(await readJob(opened.store, 'job-after', false)).connectsRequired).toBe(12);

    const start = await opened.store.balance(id, LATER);
    expect(start).toMatchObject({ balance: 250, held: 0 });
    // A boost of 2 is within the old job's rules (minimum 1) ...
    value(
      await submitProposal(
        ctx,
        { proposalId: 'p-before', jobId: 'job-before', freelancerId: id, bidCents: 50_000, boostConnects: 2 },
        LATER,
      ),
    );
    expect(await opened.store.balance(id, LATER)).toMatchObject({ balance: 244, held: 2 });
    // ... and below the new job's (minimum 5).
    const small = await submitProposal(
      ctx,
      { proposalId: 'p-after', jobId: 'job-after', freelancerId: id, bidCents: 50_000, boostConnects: 2 },
      LATER,
    );
    expect(small.ok).toBe(false);
    value(
      await submitProposal(
        ctx,
        { proposalId: 'p-after', jobId: 'job-after', freelancerId: id, bidCents: 50_000 },
        LATER,
      ),
    );
    expect(await opened.store.balance(id, LATER)).toMatchObject({ balance: 232 });
  });

  it('lots keep their stamped expiry; the next renewal follows the policy in force then', async () => {
    const issuedBefore = await opened.store.lots(id);
    for (const lot of issuedBefore) expect(lot.expiresAt).toBe(Date.UTC(2027, 0, 5, 9));
    await tick(ctx, NEXT_CYCLE);
    const allotment = (await opened.store.lots(id)).find((l) => l.issuedAt === NEXT_CYCLE);
    expect(allotment).toMatchObject({ source: 'allotment', amount: 25, expiresAt: NEXT_CYCLE + 30 * DAY });
    const again = await opened.store.lots(id);
    expect(again.filter((l) => l.issuedAt < NEXT_CYCLE).map((l) => l.expiresAt)).toEqual(
      issuedBefore.map((l) => l.expiresAt),
    );
  });
});
