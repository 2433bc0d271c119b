import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../../core/time.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { testCards } from '../payments/test-provider.ts';
import { changePlan } from '../plans/change-plan.ts';
import { completeCertification } from './complete-certification.ts';
import { getFreelancer } from './get-freelancer.ts';
import { registerFreelancer } from './register-freelancer.ts';
import { reportFacts } from './report-facts.ts';
import { at, freshId, testContext, type TestContext } from './test-kit.ts';

describe.each(testEngines)('getFreelancer on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
  });
  afterAll(() => opened.cleanup());

  it('shows profile, plan, pending change, cycle, badges, certification and balance', async () => {
    const id = freshId();
    await registerFreelancer(ctx, { id, name: 'Ada' }, at('2026-01-31T10:00:00Z'));
    const now = at('2026-02-10T12:00:00Z');
    await changePlan(ctx, { freelancerId: id, plan: 'plus', card: testCards.succeeds }, now);
    await changePlan(ctx, { freelancerId: id, plan: 'basic' }, now + 1);
    const facts = {
      profileCompletenessPct: 100,
      availabilityUpdatedAt: now - MS_PER_DAY,
      proposalsMatchingSkills: true,
      tosViolationAt: [],
      hasJobSuccessScore: false,
      lastActiveAt: now,
    };
    await reportFacts(ctx, { freelancerId: id, facts }, now + 2);
    await completeCertification(ctx, { freelancerId: id, certificationId: 'upwork-ready' }, now + 3);
    const view = await getFreelancer(ctx, { freelancerId: id }, now + 4);
    expect(view).toEqual({
      ok: true,
      value: {
        id,
        name: 'Ada',
        registeredAt: at('2026-01-31T10:00:00Z'),
        plan: 'plus',
        pendingPlanChange: { plan: 'basic', requestedAt: now + 1, effectiveAt: at('2026-03-01T00:00:00Z') },
        anchorDay: 1,
        cycle: { index: 1, start: at('2026-02-01T00:00:00Z'), end: at('2026-03-01T00:00:00Z') },
        lastAllottedCycle: 1,
        nextAllotmentAt: at('2026-03-01T00:00:00Z'),
        badges: [{ badge: 'rising_talent', grantedAt: now + 2 }],
        certification: { certificationId: 'upwork-ready', grantedAt: now + 3 },
        // 40 signup + 10 + 10 (Feb 1, issued by the upgrade's catch-up) + 47 prorated + 30 badge + 10 certification
        balance: { balance: 147, available: 147, held: 0 },
      },
    });
  });

  it('refuses an unknown freelancer', async () => {
    const r = await getFreelancer(ctx, { freelancerId: freshId() }, at('2026-01-01T00:00:00Z'));
    expect(r).toMatchObject({ ok: false, error: { code: 'freelancer_not_found' } });
  });
});
