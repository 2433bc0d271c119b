import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEEK_MS } from '../../core/availability-badge.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { addFreelancer, code, DAY, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { readBadge } from './badge-rows.ts';
import { chargeAvailabilityBadges } from './charge-availability-badges.ts';
import { setAvailabilityBadge } from './set-availability-badge.ts';
import { setBadgePrice } from './set-badge-price.ts';

/**
 * The badge price is one operator setting for the whole database, so these
 * tests run in order, each on its own stretch of time, and set the price they
 * need first.
 */
describe.each(testEngines)('availability badge on $name', (engine) => {
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

  const badgeDebits = async (fl: string) =>
    value(await store.entries(fl, { ref: 'badge', types: ['debit'], limit: 500 })).entries.length;
  const tick = (t: number) => chargeAvailabilityBadges(ctx, t, 100);

  it('charges over weeks through price changes, and switches off above the maximum and when Connects run out', async () => {
    const B = T0;
    const fl = await addFreelancer(store);
    await fund(store, fl, 20, B);
    // No operator price yet: the policy's default of 5 a week, one Connect every 33.6 hours.
    const on = value(
      await setAvailabilityBadge(ctx, { freelancerId: fl, on: true, weeklyMaxConnects: 10 }, B),
    );
    expect(on).toMatchObject({ on: true, weeklyPriceConnects: 5, since: B, nextChargeAt: B + WEEK_MS / 5 });
    expect(await tick(B + 7 * DAY)).toBe(1);
    expect(await tick(B + 7 * DAY)).toBe(0);
    expect(await store.balance(fl, B + 7 * DAY)).toMatchObject({ balance: 15 });

    // The operator raises the price to 7 (daily): the schedule restarts at the change.
    const change = B + 7 * DAY + DAY / 2;
    expect(value(await setBadgePrice(ctx, { weeklyPriceConnects: 7 }, change))).toMatchObject({
      changed: true,
    });
    expect(value(await setBadgePrice(ctx, { weeklyPriceConnects: 7 }, change + 1))).toMatchObject({
      changed: false,
    });
    expect(await tick(B + 8 * DAY)).toBe(1);
    expect(await readBadge(store, fl)).toMatchObject({
      on: true,
      schedule: { since: change, weeklyPriceConnects: 7, charged: 0 },
      nextCheckAt: change + DAY,
    });
    expect(await tick(B + 14 * DAY + DAY / 2)).toBe(1);
    expect(await store.balance(fl, B + 15 * DAY)).toMatchObject({ balance: 8 });

    // 12 a week is above the freelancer's 10: the badge switches off at the change.
    value(await setBadgePrice(ctx, { weeklyPriceConnects: 12 }, B + 15 * DAY));
    expect(await tick(B + 15 * DAY)).toBe(1);
    expect(await readBadge(store, fl)).toMatchObject({
      on: false,
      offAt: B + 15 * DAY,
      offReason: 'price_above_max',
    });
    const refused = await setAvailabilityBadge(
      ctx,
      { freelancerId: fl, on: true, weeklyMaxConnects: 10 },
      B + 16 * DAY,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'badge_price_above_max' } });

    // At 2 a week (every 3.5 days) the remaining 8 Connects last 28 days.
    value(await setBadgePrice(ctx, { weeklyPriceConnects: 2 }, B + 16 * DAY));
    value(
      await setAvailabilityBadge(ctx, { freelancerId: fl, on: true, weeklyMaxConnects: 10 }, B + 16 * DAY),
    );
    expect(await tick(B + 40 * DAY)).toBe(1);
    expect(await store.balance(fl, B + 40 * DAY)).toMatchObject({ balance: 2 });
    expect(await tick(B + 60 * DAY)).toBe(1);
    expect(await readBadge(store, fl)).toMatchObject({ on: false, offReason: 'insufficient_connects' });
    expect(await store.balance(fl, B + 60 * DAY)).toMatchObject({ balance: 0 });
    expect(await badgeDebits(fl)).toBe(20);
    const again = await setAvailabilityBadge(
      ctx,
      { freelancerId: fl, on: true, weeklyMaxConnects: 10 },
      B + 61 * DAY,
    );
    expect(code(again)).toBe('insufficient_connects');
  });

  it('charges what is due when the freelancer switches off, and a free badge costs nothing', async () => {
    const B = T0 + 1000 * DAY;
    value(await setBadgePrice(ctx, { weeklyPriceConnects: 7 }, B));
    const fl = await addFreelancer(store);
    await fund(store, fl, 10, B, B + 365 * DAY);
    value(await setAvailabilityBadge(ctx, { freelancerId: fl, on: true, weeklyMaxConnects: 7 }, B));
    const off = value(
      await setAvailabilityBadge(ctx, { freelancerId: fl, on: false, weeklyMaxConnects: 7 }, B + 3.5 * DAY),
    );
    expect(off).toMatchObject({ on: false, offAt: B + 3.5 * DAY, offReason: 'freelancer' });
    expect(await store.balance(fl, B + 4 * DAY)).toMatchObject({ balance: 7 });
    const offAgain = value(
      await setAvailabilityBadge(ctx, { freelancerId: fl, on: false, weeklyMaxConnects: 7 }, B + 4 * DAY),
    );
    expect(offAgain).toEqual(off);

    value(await setAvailabilityBadge(ctx, { freelancerId: fl, on: true, weeklyMaxConnects: 7 }, B + 5 * DAY));
    const raised = value(
      await setAvailabilityBadge(ctx, { freelancerId: fl, on: true, weeklyMaxConnects: 9 }, B + 5.5 * DAY),
    );
    expect(raised).toMatchObject({ on: true, since: B + 5 * DAY, weeklyMaxConnects: 9 });

    // The badge becomes free at B + 10 days: Connects due until then are still charged.
    value(await setBadgePrice(ctx, { weeklyPriceConnects: 0 }, B + 10 * DAY));
    const broke = await addFreelancer(store);
    value(
      await setAvailabilityBadge(ctx, { freelancerId: broke, on: true, weeklyMaxConnects: 0 }, B + 10 * DAY),
    );
    expect(await tick(B + 30 * DAY)).toBe(1);
    expect(await store.balance(fl, B + 30 * DAY)).toMatchObject({ balance: 2 });
    expect(await readBadge(store, fl)).toMatchObject({ on: true, schedule: { weeklyPriceConnects: 0 } });
    expect(await readBadge(store, broke)).toMatchObject({ on: true });
    expect(await tick(B + 300 * DAY)).toBe(0);
  });

  it('refuses unknown freelancers', async () => {
    const r = await setAvailabilityBadge(
      ctx,
      { freelancerId: 'nobody', on: true, weeklyMaxConnects: 100 },
      T0,
    );
    expect(code(r)).toBe('freelancer_not_found');
  });
});
