import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRING_SOON_MS } from '../../core/ledger/balance.ts';
import type { Operation } from '../../core/ledger/operations.ts';
import { DAY, debit, grant } from '../../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { getBalance, type BalanceView } from './get-balance.ts';
import { registerFreelancer } from './register-freelancer.ts';
import { at, freshId, testContext, type TestContext } from './test-kit.ts';

describe.each(testEngines)('getBalance on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
  });
  afterAll(() => opened.cleanup());

  const T = at('2026-03-01T00:00:00Z');
  const read = async (id: string, now: number, asOf?: number): Promise<BalanceView> => {
    const view = await getBalance(ctx, { freelancerId: id, ...(asOf === undefined ? {} : { asOf }) }, now);
    if (!view.ok) throw new Error(view.error.message);
    return view.value;
  };

  it('as of a past instant says exactly what a read at that instant said, expiring soon included', async () => {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, T)).ok).toBe(true);
    const steps: [number, Operation][] = [
      [T + DAY, grant(20, T + 20 * DAY)],
      [T + 2 * DAY, grant(30, T + 90 * DAY)],
      [T + 3 * DAY, debit(25)],
      [T + 4 * DAY, { kind: 'hold', holdId: 'h-1', amount: 5 }],
      [T + 5 * DAY, { kind: 'capture', holdId: 'h-1' }],
      [T + 70 * DAY, grant(4, T + 80 * DAY)],
    ];
    const then: BalanceView[] = [];
    for (const [index, [now, op]] of steps.entries()) {
      expect((await ctx.store.execute({ account: id, op, now })).ok).toBe(true);
      // Read at the write, and again halfway to the next one (nothing written in between).
      const next = steps[index + 1]?.[0] ?? now + 60 * DAY;
      then.push(await read(id, now));
      then.push(await read(id, now + Math.floor((next - now) / 2)));
    }
    const later = T + 400 * DAY;
    const again = [];
    for (const view of then) again.push(await read(id, later, view.asOf));
    expect(again).toEqual(then);
    // Not a vacuous comparison: reads saw Connects expiring soon, held, and lots come and go.
    expect(then.filter((v) => v.expiringSoon > 0).length).toBeGreaterThan(2);
    expect(then.some((v) => v.held > 0)).toBe(true);
    expect(new Set(then.map((v) => v.balance)).size).toBeGreaterThan(3);
    expect(EXPIRING_SOON_MS).toBe(30 * DAY);
    // The 20 expiring on day 20 count until spent; on day 70 the 20 left of the day-90 lot and the 4
    // expiring on day 80 count, and nothing once both expired (day 100, not swept yet).
    expect(then.map((v) => v.expiringSoon)).toEqual([20, 20, 20, 20, 0, 0, 0, 0, 0, 0, 24, 0]);
  });

  it('refuses an instant after now and an unknown freelancer, in that order', async () => {
    const future = await getBalance(ctx, { freelancerId: 'nobody', asOf: T + 1 }, T);
    expect(future).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: { issues: [{ in: 'input', path: 'asOf' }] } },
    });
    const unknown = await getBalance(ctx, { freelancerId: 'nobody' }, T);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'freelancer_not_found' } });
  });

  it('replays a bounded history and says so beyond it', async () => {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, T)).ok).toBe(true);
    for (let day = 1; day <= 6; day += 1) {
      expect((await ctx.store.execute({ account: id, op: debit(1), now: T + day * DAY })).ok).toBe(true);
    }
    const entries = await ctx.store.entries(id, { until: T + 4 * DAY + 1, limit: 500 });
    const upToDay4 = entries.ok ? entries.value.entries.length : 0;
    const asOf = T + 4 * DAY;
    const within = await getBalance(ctx, { freelancerId: id, asOf }, T + 10 * DAY, {
      maxAsOfEntries: upToDay4,
    });
    expect(within.ok).toBe(true);
    const beyond = await getBalance(ctx, { freelancerId: id, asOf }, T + 10 * DAY, {
      maxAsOfEntries: upToDay4 - 1,
    });
    expect(beyond).toMatchObject({
      ok: false,
      error: { code: 'history_too_long', details: { maxEntries: upToDay4 - 1 } },
    });
  });
});
