import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { apiError, openRouteHarness, type RouteHarness } from './route-test-kit.ts';

/** Plan previews and changes (rules.md 3.2) over HTTP on both engines. */
describe.each(testEngines)('plan routes on $name', (engine) => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
    // rules.md 3.2's example: cycle Mar 1 - Apr 1, upgrade Mar 10 12:00 UTC.
    await h.admin.post('/v1/freelancers', { body: { id: 'plan-ada', registeredAt: '2024-02-01T00:00:00Z' } });
    await h.admin.post('/v1/freelancers', { body: { id: 'plan-bob', registeredAt: '2024-02-01T00:00:00Z' } });
    await h.admin.post('/v1/admin/tick');
  });
  afterAll(async () => {
    await h?.close();
  });

  const balance = async (id: string) =>
    (await h.admin.get('/v1/freelancers/{id}/balance', { path: { id }, query: {} })).balance;

  it('previews an upgrade: prorated extra Connects and the price, changing nothing', async () => {
    const ada = await h.as('plan-ada');
    const preview = await ada.get('/v1/freelancers/{id}/plan/preview', {
      path: { id: 'plan-ada' },
      query: { plan: 'plus' },
    });
    expect(preview).toEqual({
      freelancerId: 'plan-ada',
      currentPlan: 'basic',
      plan: 'plus',
      change: 'upgrade',
      effectiveAt: '2024-03-10T12:00:00.000Z',
      upgradeBilling: 'prorate',
      prorationConnects: 49,
      // The price on the same fraction, rounded down: 1499 x 22 / 31 = 1063.87.
      priceCents: 1063,
      nextCycleAt: '2024-04-01T00:00:00.000Z',
      allotmentPerCycle: 80,
      renewalPriceCents: 1499,
      cycle: { index: 1, start: '2024-03-01T00:00:00.000Z', end: '2024-04-01T00:00:00.000Z' },
      daysLeft: 22,
      daysInCycle: 31,
    });
    const same = await ada.get('/v1/freelancers/{id}/plan/preview', {
      path: { id: 'plan-ada' },
      query: { plan: 'basic' },
    });
    expect(same).toMatchObject({ change: 'none', prorationConnects: 0, priceCents: 0 });
    expect((await ada.get('/v1/freelancers/{id}', { path: { id: 'plan-ada' } })).plan).toBe('basic');
  });

  it('upgrades with the previewed Connects and price, and repeats the answer on retry', async () => {
    const ada = await h.as('plan-ada');
    const before = await balance('plan-ada');
    const body = { plan: 'plus' as const, card: '4242424242424242' };
    const changed = await ada.put('/v1/freelancers/{id}/plan', { path: { id: 'plan-ada' }, body });
    expect(changed).toMatchObject({
      freelancerId: 'plan-ada',
      plan: 'plus',
      pendingPlan: null,
      change: 'upgraded',
      effectiveAt: '2024-03-10T12:00:00.000Z',
      prorationConnects: 49,
      chargedCents: 1063,
      nextCycleAt: '2024-04-01T00:00:00.000Z',
    });
    expect(await balance('plan-ada')).toBe(before + 49);
    const again = await ada.put('/v1/freelancers/{id}/plan', { path: { id: 'plan-ada' }, body });
    expect(again).toMatchObject({ change: 'upgraded', prorationConnects: 49, chargeId: changed.chargeId });
    expect(await balance('plan-ada')).toBe(before + 49);
  });

  it('schedules a downgrade for the next renewal; asking for Plus again cancels it', async () => {
    const preview = await h.admin.get('/v1/freelancers/{id}/plan/preview', {
      path: { id: 'plan-ada' },
      query: { plan: 'basic' },
    });
    expect(preview).toMatchObject({ change: 'downgrade', effectiveAt: '2024-04-01T00:00:00.000Z' });
    const down = await h.admin.put('/v1/freelancers/{id}/plan', {
      path: { id: 'plan-ada' },
      body: { plan: 'basic' },
    });
    expect(down).toMatchObject({ plan: 'plus', pendingPlan: 'basic', change: 'downgrade_scheduled' });
    expect(down.effectiveAt).toBe('2024-04-01T00:00:00.000Z');
    const cancel = await h.admin.get('/v1/freelancers/{id}/plan/preview', {
      path: { id: 'plan-ada' },
      query: { plan: 'plus' },
    });
    expect(cancel.change).toBe('cancel_downgrade');
    const up = await h.admin.put('/v1/freelancers/{id}/plan', {
      path: { id: 'plan-ada' },
      body: { plan: 'plus' },
    });
    expect(up).toMatchObject({ plan: 'plus', pendingPlan: null, change: 'downgrade_cancelled' });
  });

  it('a declined card or no card refuses the upgrade and grants nothing', async () => {
    const before = await balance('plan-bob');
    const declined = await apiError(
      h.admin.put('/v1/freelancers/{id}/plan', {
        path: { id: 'plan-bob' },
        body: { plan: 'plus', card: '4000000000000002' },
      }),
    );
    expect(declined).toMatchObject({ status: 402, code: 'payment_declined' });
    const noCard = await apiError(
      h.admin.put('/v1/freelancers/{id}/plan', { path: { id: 'plan-bob' }, body: { plan: 'plus' } }),
    );
    expect(noCard).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await balance('plan-bob')).toBe(before);
    const f = await h.admin.get('/v1/freelancers/{id}', { path: { id: 'plan-bob' } });
    expect(f.plan).toBe('basic');
  });

  it('an unknown freelancer is freelancer_not_found for both routes', async () => {
    for (const call of [
      h.admin.get('/v1/freelancers/{id}/plan/preview', { path: { id: 'nobody' }, query: { plan: 'plus' } }),
      h.admin.put('/v1/freelancers/{id}/plan', { path: { id: 'nobody' }, body: { plan: 'basic' } }),
    ]) {
      expect(await apiError(call)).toMatchObject({ status: 404, code: 'freelancer_not_found' });
    }
  });
});
