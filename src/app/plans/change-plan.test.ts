import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../core/types.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { createTimeline } from '../../core/policy/timeline.ts';
import { getFreelancer } from '../accounts/get-freelancer.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { allEntries, at, freshId, testContext, type TestContext } from '../accounts/test-kit.ts';
import { testCards } from '../payments/test-provider.ts';
import { tick } from '../scheduler/tick.ts';
import { changePlan } from './change-plan.ts';
import { listPlanEvents } from './plan-events.ts';

const iso = (t: number) => new Date(t).toISOString();
/** [type, amount, balanceAfter, effectiveAt, source of the lot created, ref, reason] */
const rows = (entries: readonly Entry[]) =>
  entries.map((e) => [
    e.type,
    e.amount,
    e.balanceAfter,
    iso(e.effectiveAt),
    e.lot?.source ?? null,
    e.ref,
    e.reason,
  ]);

describe.each(testEngines)('changePlan on $name', (engine) => {
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

  /** Registered Feb 1: cycle 1 runs Mar 1 - Apr 1, as in the spec's worked example. */
  async function basicSinceFeb1(): Promise<string> {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, at('2026-02-01T00:00:00Z'))).ok).toBe(true);
    return id;
  }

  async function events(id: string) {
    return (await listPlanEvents(ctx.store, id, 50))
      .reverse()
      .map((e) => [e.kind, iso(e.occurredAt), e.cycleIndex, e.plan, e.amountCents, e.connects]);
  }

  it('upgrades on Mar 10 12:00 with the worked proration (49), then renews Plus at 80 with a charge', async () => {
    const id = await basicSinceFeb1();
    await tick(ctx, at('2026-03-01T00:00:00Z'));
    const up = await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.succeeds },
      at('2026-03-10T12:00:00Z'),
    );
    expect(up).toMatchObject({
      ok: true,
      value: {
        change: 'upgraded',
        prorationConnects: 49,
        // The price on the same fraction as the Connects, rounded down: 1499 x 22 / 31 = 1063.87.
        chargedCents: 1063,
        replayed: false,
        freelancer: { plan: 'plus', anchorDay: 1, nextCycleAt: at('2026-04-01T00:00:00Z') },
      },
    });
    const retry = await changePlan(ctx, { freelancerId: id, plan: 'plus' }, at('2026-03-10T12:05:00Z'));
    expect(retry).toMatchObject({
      ok: true,
      value: { change: 'upgraded', prorationConnects: 49, replayed: true },
    });
    expect(up.ok && retry.ok && retry.value.chargeId).toBe(up.ok && up.value.chargeId);
    await tick(ctx, at('2026-04-01T00:00:00Z'));
    expect(rows((await allEntries(ctx.store, id)).slice(2))).toEqual([
      ['grant', 10, 60, '2026-03-01T00:00:00.000Z', 'allotment', 'cycle:1', 'plan:basic'],
      ['grant', 49, 109, '2026-03-10T12:00:00.000Z', 'proration', 'cycle:1', 'upgrade:plus'],
      ['grant', 80, 189, '2026-04-01T00:00:00.000Z', 'allotment', 'cycle:2', 'plan:plus'],
    ]);
    const proration = (await ctx.store.lots(id))[3];
    expect(proration && iso(proration.expiresAt)).toBe('2027-03-10T12:00:00.000Z');
    expect(await events(id)).toEqual([
      ['upgraded', '2026-03-10T12:00:00.000Z', 1, 'plus', 1063, 49],
      ['renewed', '2026-04-01T00:00:00.000Z', 2, 'plus', 1499, null],
    ]);
  });

  /** Upgrades `id` at `when` with a good card; returns [Connects granted, cents charged, next renewal]. */
  async function upgrade(c: TestContext, id: string, when: string) {
    const up = await changePlan(c, { freelancerId: id, plan: 'plus', card: testCards.succeeds }, at(when));
    if (!up.ok) expect.fail(up.error.message);
    return [up.value.prorationConnects, up.value.chargedCents, iso(up.value.freelancer.nextCycleAt)];
  }

  /** Cents charged per cycle index, from the plan history. */
  async function chargedByCycle(id: string) {
    const charged = new Map<number, number>();
    for (const e of await listPlanEvents(ctx.store, id, 100)) {
      charged.set(e.cycleIndex, (charged.get(e.cycleIndex) ?? 0) + (e.amountCents ?? 0));
    }
    return Object.fromEntries(charged);
  }

  it('prorates the price too: Mar 31 23:30 pays a day, and the renewal half an hour later a full cycle', async () => {
    const id = await basicSinceFeb1();
    expect(await upgrade(ctx, id, '2026-03-31T23:30:00Z')).toEqual([2, 48, '2026-04-01T00:00:00.000Z']);
    await tick(ctx, at('2026-04-01T00:00:00Z'));
    expect(await chargedByCycle(id)).toEqual({ 1: 48, 2: 1499 });
  });

  it('prorates a 14-hour first cycle (registered Mar 31 10:00) as a day of a month', async () => {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, at('2026-03-31T10:00:00Z'))).ok).toBe(true);
    expect(await upgrade(ctx, id, '2026-03-31T10:00:00Z')).toEqual([2, 48, '2026-04-01T00:00:00.000Z']);
    await tick(ctx, at('2026-04-01T00:00:00Z'));
    expect(await chargedByCycle(id)).toEqual({ 0: 48, 1: 1499 });
  });

  it('prorates over the 29 days of February in a leap year', async () => {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, at('2027-12-01T00:00:00Z'))).ok).toBe(true);
    // 70 x 15 / 29 = 36.2 Connects; 1499 x 15 / 29 = 775.3 cents.
    expect(await upgrade(ctx, id, '2028-02-15T00:00:00Z')).toEqual([36, 775, '2028-03-01T00:00:00.000Z']);
  });

  describe('with plans.plus.upgradeBilling = restart_cycle', () => {
    let restart: TestContext;
    beforeAll(() => {
      const policy = {
        ...defaultPolicy,
        effectiveFrom: '2008-01-01T00:00:00.000Z',
        plans: {
          ...defaultPolicy.plans,
          plus: { ...defaultPolicy.plans.plus, upgradeBilling: 'restart_cycle' },
        },
      };
      const timeline = createTimeline([policy]);
      if (!timeline.ok) throw new Error(timeline.error.message);
      restart = testContext(ctx.store, { timeline: timeline.value });
    });

    it('Mar 10 12:00: full price and allotment now, the next renewal on Apr 10, never two charges for a cycle', async () => {
      const id = await basicSinceFeb1();
      expect(await upgrade(restart, id, '2026-03-10T12:00:00Z')).toEqual([
        80,
        1499,
        '2026-04-10T00:00:00.000Z',
      ]);
      expect((await tick(restart, at('2026-04-01T00:00:00Z'))).charged).toBe(0);
      await tick(restart, at('2026-05-10T00:00:00Z'));
      expect(await chargedByCycle(id)).toEqual({ 2: 1499, 3: 1499, 4: 1499 });
      expect(rows((await allEntries(ctx.store, id)).slice(3))).toEqual([
        ['grant', 80, 140, '2026-03-10T12:00:00.000Z', 'allotment', 'cycle:2', 'plan:plus'],
        ['grant', 80, 220, '2026-04-10T00:00:00.000Z', 'allotment', 'cycle:3', 'plan:plus'],
        ['grant', 80, 300, '2026-05-10T00:00:00.000Z', 'allotment', 'cycle:4', 'plan:plus'],
      ]);
      const seen = await getFreelancer(restart, { freelancerId: id }, at('2026-05-11T00:00:00Z'));
      expect(seen.ok && [seen.value.anchorDay, seen.value.cycle]).toEqual([
        10,
        { index: 4, start: at('2026-05-10T00:00:00Z'), end: at('2026-06-10T00:00:00Z') },
      ]);
    });

    it('Mar 31 23:30 and a 14-hour first cycle: the new cycle lasts until May 1, with no charge on Apr 1', async () => {
      const late = await basicSinceFeb1();
      expect(await upgrade(restart, late, '2026-03-31T23:30:00Z')).toEqual([
        80,
        1499,
        '2026-05-01T00:00:00.000Z',
      ]);
      const fresh = freshId();
      expect((await registerFreelancer(restart, { id: fresh }, at('2026-03-31T10:00:00Z'))).ok).toBe(true);
      expect(await upgrade(restart, fresh, '2026-03-31T10:00:00Z')).toEqual([
        80,
        1499,
        '2026-05-01T00:00:00.000Z',
      ]);
      await tick(restart, at('2026-04-01T00:00:00Z'));
      expect(await chargedByCycle(late)).toEqual({ 2: 1499 });
      expect(await chargedByCycle(fresh)).toEqual({ 1: 1499 });
    });

    it('Feb 29 of a leap year: the next renewal is Apr 1', async () => {
      const id = freshId();
      expect((await registerFreelancer(restart, { id }, at('2027-12-01T00:00:00Z'))).ok).toBe(true);
      expect(await upgrade(restart, id, '2028-02-29T12:00:00Z')).toEqual([
        80,
        1499,
        '2028-04-01T00:00:00.000Z',
      ]);
    });
  });

  it('issues the due Basic allotment before prorating when the tick has not run yet', async () => {
    const id = await basicSinceFeb1();
    const up = await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.succeeds },
      at('2026-03-10T12:00:00Z'),
    );
    expect(up.ok && up.value.prorationConnects).toBe(49);
    expect(await ctx.store.balance(id, at('2026-03-10T12:00:00Z'))).toMatchObject({ balance: 109 });
  });

  it('downgrades at the next renewal: Plus until then, Basic allotment and no charge after', async () => {
    const id = await basicSinceFeb1();
    await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.succeeds },
      at('2026-03-10T12:00:00Z'),
    );
    const down = await changePlan(ctx, { freelancerId: id, plan: 'basic' }, at('2026-03-20T00:00:00Z'));
    expect(down).toMatchObject({
      ok: true,
      value: {
        change: 'downgrade_scheduled',
        effectiveAt: at('2026-04-01T00:00:00Z'),
        freelancer: { plan: 'plus', pendingPlan: 'basic' },
      },
    });
    const again = await changePlan(ctx, { freelancerId: id, plan: 'basic' }, at('2026-03-21T00:00:00Z'));
    expect(again.ok && again.value.replayed).toBe(true);
    await tick(ctx, at('2026-04-01T00:00:00Z'));
    const entries = await allEntries(ctx.store, id);
    expect(rows(entries.slice(-1))).toEqual([
      ['grant', 10, 119, '2026-04-01T00:00:00.000Z', 'allotment', 'cycle:2', 'plan:basic'],
    ]);
    expect((await events(id)).map((e) => e[0])).toEqual(['upgraded', 'downgrade_requested', 'downgraded']);
    const after = await changePlan(ctx, { freelancerId: id, plan: 'basic' }, at('2026-04-02T00:00:00Z'));
    expect(after).toMatchObject({
      ok: true,
      value: { change: 'unchanged', freelancer: { plan: 'basic', pendingPlan: null } },
    });
  });

  it('cancels a pending downgrade when Plus is asked for again before the renewal', async () => {
    const id = await basicSinceFeb1();
    await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.succeeds },
      at('2026-03-10T12:00:00Z'),
    );
    await changePlan(ctx, { freelancerId: id, plan: 'basic' }, at('2026-03-20T00:00:00Z'));
    const keep = await changePlan(ctx, { freelancerId: id, plan: 'plus' }, at('2026-03-25T00:00:00Z'));
    expect(keep).toMatchObject({
      ok: true,
      value: { change: 'downgrade_cancelled', freelancer: { plan: 'plus', pendingPlan: null } },
    });
    await tick(ctx, at('2026-04-01T00:00:00Z'));
    expect((await events(id)).map((e) => e[0])).toEqual([
      'upgraded',
      'downgrade_requested',
      'downgrade_cancelled',
      'renewed',
    ]);
  });

  it('drops to Basic at once when the renewal payment is declined, with the Basic allotment', async () => {
    const id = await basicSinceFeb1();
    await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.succeeds },
      at('2026-03-10T12:00:00Z'),
    );
    // A new card on file: the next renewal charges it.
    await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.declined },
      at('2026-03-15T00:00:00Z'),
    );
    const summary = await tick(ctx, at('2026-04-01T00:00:00Z'));
    expect(summary.paymentFailures).toBeGreaterThanOrEqual(1);
    expect(rows((await allEntries(ctx.store, id)).slice(-1))).toEqual([
      ['grant', 10, 119, '2026-04-01T00:00:00.000Z', 'allotment', 'cycle:2', 'plan:basic'],
    ]);
    const history = await listPlanEvents(ctx.store, id, 1);
    expect(history[0]).toMatchObject({
      kind: 'payment_failed',
      plan: 'basic',
      cycleIndex: 2,
      reason: 'card declined',
    });
  });

  it('retries a transient renewal failure for a day, then drops to Basic', async () => {
    const id = await basicSinceFeb1();
    await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.succeeds },
      at('2026-03-10T12:00:00Z'),
    );
    await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.transientFailure },
      at('2026-03-15T00:00:00Z'),
    );
    const first = await tick(ctx, at('2026-04-01T00:00:00Z'));
    expect(first.deferred).toBeGreaterThanOrEqual(1);
    expect(await ctx.store.lots(id)).toHaveLength(4);
    await tick(ctx, at('2026-04-02T00:00:00Z'));
    expect(rows((await allEntries(ctx.store, id)).slice(-1))).toEqual([
      ['grant', 10, 119, '2026-04-01T00:00:00.000Z', 'allotment', 'cycle:2', 'plan:basic'],
    ]);
  });

  it('charges each missed Plus cycle when catching up', async () => {
    const id = await basicSinceFeb1();
    await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.succeeds },
      at('2026-03-10T12:00:00Z'),
    );
    await tick(ctx, at('2026-06-02T00:00:00Z'));
    expect((await events(id)).map((e) => [e[0], e[2]])).toEqual([
      ['upgraded', 1],
      ['renewed', 2],
      ['renewed', 3],
      ['renewed', 4],
    ]);
    expect(await ctx.store.balance(id, at('2026-06-02T00:00:00Z'))).toMatchObject({ balance: 109 + 3 * 80 });
  });

  it('refuses an upgrade that cannot be paid, and changes nothing', async () => {
    const id = await basicSinceFeb1();
    const noCard = await changePlan(ctx, { freelancerId: id, plan: 'plus' }, at('2026-03-10T12:00:00Z'));
    expect(noCard).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const declined = await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.declined },
      at('2026-03-10T12:00:00Z'),
    );
    expect(declined).toMatchObject({ ok: false, error: { code: 'payment_declined' } });
    const flaky = await changePlan(
      ctx,
      { freelancerId: id, plan: 'plus', card: testCards.transientFailure },
      at('2026-03-10T12:00:00Z'),
    );
    expect(flaky).toMatchObject({ ok: false, error: { code: 'payment_unavailable' } });
    expect(await listPlanEvents(ctx.store, id, 10)).toEqual([]);
    expect(await ctx.store.balance(id, at('2026-03-10T12:00:00Z'))).toMatchObject({ balance: 60 });
    const unknown = await changePlan(
      ctx,
      { freelancerId: freshId(), plan: 'plus' },
      at('2026-03-10T12:00:00Z'),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'freelancer_not_found' } });
    const bad = await changePlan(
      ctx,
      { freelancerId: id, plan: 'gold' } as never,
      at('2026-03-10T12:00:00Z'),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });
});
