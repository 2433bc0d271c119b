import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '../../core/time.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from './register-freelancer.ts';
import { reportFacts } from './report-facts.ts';
import { allEntries, at, freshId, testContext, type TestContext } from './test-kit.ts';

const registeredAt = at('2026-05-01T09:00:00Z');
const now = at('2026-05-20T12:00:00Z');

/** Facts that meet every criterion at `now` for a freelancer registered at `registeredAt`. */
const eligibleFacts = {
  profileCompletenessPct: 100,
  availabilityUpdatedAt: now - 2 * MS_PER_DAY,
  proposalsMatchingSkills: true,
  tosViolationAt: [],
  hasJobSuccessScore: false,
  lastActiveAt: null,
};

describe.each(testEngines)('reportFacts on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  async function register(): Promise<string> {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, registeredAt)).ok).toBe(true);
    return id;
  }

  it('says which criteria are missing, stores the facts, and grants nothing', async () => {
    const id = await register();
    const facts = { ...eligibleFacts, profileCompletenessPct: 80, hasJobSuccessScore: true };
    const r = await reportFacts(ctx, { freelancerId: id, facts }, now);
    expect(r).toEqual({
      ok: true,
      value: {
        eligible: false,
        missing: ['profile_incomplete', 'has_job_success_score'],
        granted: false,
        badge: null,
      },
    });
    const stored = await ctx.store.query(
      'SELECT facts, reported_at FROM rising_talent_facts WHERE freelancer_id = $1',
      [id],
    );
    expect(stored.rows[0]).toEqual({ facts, reported_at: now });
    expect(await ctx.store.balance(id, now)).toMatchObject({ balance: 50 });
  });

  it('grants the badge and 30 Connects once, on the first eligible report', async () => {
    const id = await register();
    const first = await reportFacts(ctx, { freelancerId: id, facts: eligibleFacts }, now);
    expect(first).toEqual({
      ok: true,
      value: {
        eligible: true,
        missing: [],
        granted: true,
        badge: { reward: 'rising_talent', ref: null, connects: 30, grantedAt: now },
      },
    });
    const again = await reportFacts(ctx, { freelancerId: id, facts: eligibleFacts }, now + 1000);
    expect(again.ok && again.value).toMatchObject({
      eligible: true,
      granted: false,
      badge: { grantedAt: now },
    });
    // Losing eligibility later does not take the badge back.
    const later = await reportFacts(
      ctx,
      { freelancerId: id, facts: { ...eligibleFacts, hasJobSuccessScore: true } },
      now + 2000,
    );
    expect(later.ok && later.value).toMatchObject({
      eligible: false,
      granted: false,
      badge: { grantedAt: now },
    });
    const grants = (await allEntries(ctx.store, id)).filter((e) => e.lot?.source === 'badge');
    expect(grants.map((e) => [e.amount, e.ref, e.balanceAfter])).toEqual([[30, 'badge:rising_talent', 80]]);
  });

  it('grants once when eligible reports race', async () => {
    const id = await register();
    const results = await Promise.all(
      [1, 2, 3].map((i) => reportFacts(ctx, { freelancerId: id, facts: eligibleFacts }, now + i)),
    );
    expect(results.filter((r) => r.ok && r.value.granted)).toHaveLength(1);
    expect(await ctx.store.balance(id, now + 10)).toMatchObject({ balance: 80 });
  });

  it('counts a new account as active, and judges activity windows at now', async () => {
    const id = await register();
    const late = registeredAt + 45 * MS_PER_DAY;
    const facts = { ...eligibleFacts, availabilityUpdatedAt: late - MS_PER_DAY };
    const r = await reportFacts(ctx, { freelancerId: id, facts }, late);
    expect(r.ok && r.value.missing).toEqual(['inactive']);
  });

  it('refuses unknown freelancers and malformed facts', async () => {
    const unknown = await reportFacts(ctx, { freelancerId: freshId(), facts: eligibleFacts }, now);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'freelancer_not_found' } });
    const id = await register();
    const bad = await reportFacts(
      ctx,
      { freelancerId: id, facts: { ...eligibleFacts, profileCompletenessPct: 101 } },
      now,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });
});
