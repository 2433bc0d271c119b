import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from './register-freelancer.ts';
import { allEntries, at, freshId, lotTuples, testContext, type TestContext } from './test-kit.ts';

describe.each(testEngines)('registerFreelancer on $name', (engine) => {
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

  it('grants signup 40 and the first cycle allotment 10 at registration, in one go', async () => {
    const id = freshId();
    const now = at('2026-01-15T10:00:00Z');
    const r = await registerFreelancer(ctx, { id, name: 'Ada' }, now);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.freelancer).toMatchObject({
      id,
      name: 'Ada',
      registeredAt: now,
      anchorDay: 15,
      plan: 'basic',
      pendingPlan: null,
      lastAllottedCycle: 0,
      nextCycleAt: at('2026-02-15T00:00:00Z'),
    });
    expect(r.value.firstCycle).toEqual({ index: 0, start: now, end: at('2026-02-15T00:00:00Z') });
    expect(r.value.balance).toEqual({ balance: 50, available: 50, held: 0 });
    expect(r.value.replayed).toBe(false);
    expect(lotTuples(await ctx.store.lots(id))).toEqual([
      ['signup', 40, 40, '2026-01-15T10:00:00.000Z', '2027-01-15T10:00:00.000Z'],
      ['allotment', 10, 10, '2026-01-15T10:00:00.000Z', '2027-01-15T10:00:00.000Z'],
    ]);
    const entries = await allEntries(ctx.store, id);
    expect(entries.map((e) => [e.type, e.amount, e.balanceBefore, e.balanceAfter, e.ref, e.reason])).toEqual([
      ['grant', 40, 0, 40, 'registration', null],
      ['grant', 10, 40, 50, 'cycle:0', 'plan:basic'],
    ]);
  });

  it('anchors a registration on the 29th-31st to the 1st', async () => {
    const r = await registerFreelancer(ctx, { id: freshId() }, at('2026-01-31T23:00:00Z'));
    expect(r.ok && r.value.freelancer).toMatchObject({
      anchorDay: 1,
      nextCycleAt: at('2026-02-01T00:00:00Z'),
    });
  });

  it('returns the original result for a retry and freelancer_exists for other details', async () => {
    const id = freshId();
    const first = await registerFreelancer(ctx, { id, name: 'Grace' }, at('2026-03-01T08:00:00Z'));
    const retry = await registerFreelancer(ctx, { id, name: 'Grace' }, at('2026-03-02T08:00:00Z'));
    expect(retry.ok && retry.value.replayed).toBe(true);
    expect(retry.ok && retry.value.entries).toEqual(first.ok && first.value.entries);
    expect(retry.ok && retry.value.balance).toEqual({ balance: 50, available: 50, held: 0 });
    const renamed = await registerFreelancer(ctx, { id, name: 'Hopper' }, at('2026-03-02T08:00:00Z'));
    expect(renamed).toMatchObject({ ok: false, error: { code: 'freelancer_exists' } });
    const moved = await registerFreelancer(
      ctx,
      { id, name: 'Grace', registeredAt: at('2026-02-01T00:00:00Z') },
      at('2026-03-02T08:00:00Z'),
    );
    expect(moved).toMatchObject({ ok: false, error: { code: 'freelancer_exists' } });
    expect(await ctx.store.balance(id, at('2026-03-02T08:00:00Z'))).toMatchObject({ balance: 50 });
  });

  it('registers once when two identical requests race', async () => {
    const id = freshId();
    const now = at('2026-04-10T12:00:00Z');
    const results = await Promise.all([1, 2, 3].map(() => registerFreelancer(ctx, { id }, now)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    expect(await ctx.store.lots(id)).toHaveLength(2);
  });

  it('uses the policy in force at registration: legacy Basic has no signup, 60 to the end of the cycle', async () => {
    const id = freshId();
    const r = await registerFreelancer(ctx, { id }, at('2015-06-20T09:00:00Z'));
    expect(r.ok && r.value.balance).toEqual({ balance: 60, available: 60, held: 0 });
    expect(lotTuples(await ctx.store.lots(id))).toEqual([
      ['allotment', 60, 60, '2015-06-20T09:00:00.000Z', '2015-07-20T00:00:00.000Z'],
    ]);
  });

  it('imports a past registration: lots issued then, later cycles left to the scheduler', async () => {
    const id = freshId();
    const now = at('2026-05-01T00:00:00Z');
    const r = await registerFreelancer(ctx, { id, registeredAt: '2026-03-10T00:00:00Z' }, now);
    expect(r.ok && r.value.freelancer).toMatchObject({
      anchorDay: 10,
      nextCycleAt: at('2026-04-10T00:00:00Z'),
    });
    expect((await ctx.store.lots(id)).map((lot) => lot.issuedAt)).toEqual([
      at('2026-03-10T00:00:00Z'),
      at('2026-03-10T00:00:00Z'),
    ]);
  });

  it('refuses bad input and registrations in the future', async () => {
    const now = at('2026-01-01T00:00:00Z');
    const bad = await registerFreelancer(ctx, { id: 'has space' }, now);
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const extra = await registerFreelancer(ctx, { id: freshId(), plan: 'plus' } as never, now);
    expect(extra).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const future = await registerFreelancer(ctx, { id: freshId(), registeredAt: now + 1 }, now);
    expect(future).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });
});
