import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy, eras } from '../../core/policy/eras.ts';
import { createTimeline } from '../../core/policy/timeline.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { defaultRenewOptions, renewAccount } from '../scheduler/renew-account.ts';
import { readBalance } from './read-balance.ts';
import { registerFreelancer } from './register-freelancer.ts';
import { at, freshId, testContext, type TestContext } from './test-kit.ts';

const era2021 = eras.find((p) => p.id === 'era-2021');
if (era2021 === undefined) throw new Error('the 2021 era is missing');

describe.each(testEngines)('readBalance under a rollover cap on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    const timeline = createTimeline([
      { ...era2021, effectiveFrom: '2008-01-01T00:00:00.000Z' },
      { ...defaultPolicy, effectiveFrom: '2030-01-01T00:00:00.000Z' },
    ]);
    if (!timeline.ok) throw new Error(timeline.error.message);
    ctx = testContext(opened.store, { timeline: timeline.value });
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  /** Registered Jan 15 2026 with 300 bought on Jan 20: 350, above the cap of 200. */
  async function twin(): Promise<string> {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, at('2026-01-15T10:00:00Z'))).ok).toBe(true);
    const bought = await ctx.store.execute({
      account: id,
      op: {
        kind: 'grant',
        amount: 300,
        source: 'purchase',
        category: 'paid',
        expiresAt: at('2027-01-20T00:00:00Z'),
      },
      now: at('2026-01-20T00:00:00Z'),
    });
    expect(bought.ok).toBe(true);
    return id;
  }

  it('reads the capped balance of an account no tick renewed, as its promptly renewed twin', async () => {
    const prompt = await twin();
    const untouched = await twin();
    for (const start of ['2026-02-15', '2026-03-15', '2026-04-15']) {
      await renewAccount(ctx, prompt, at(`${start}T00:00:00Z`), defaultRenewOptions);
    }
    const now = at('2026-05-01T00:00:00Z');
    const dates = [
      '2026-02-14T23:59:59Z',
      '2026-02-20T00:00:00Z',
      '2026-03-20T00:00:00Z',
      '2026-04-20T00:00:00Z',
    ];
    const read = async (id: string) =>
      Promise.all(dates.map(async (d) => (await readBalance(ctx, id, at(d), now)).balance));
    expect(await read(prompt)).toEqual([350, 210, 210, 210]);
    expect(await read(untouched)).toEqual([350, 210, 210, 210]);
    expect((await readBalance(ctx, untouched, now, now)).balance).toBe(210);
    // Reading wrote nothing: the renewal is still the scheduler's to write.
    expect((await ctx.store.balance(untouched, now)).balance).toBe(350);
  });
});
