import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleStartAt, cycleStartsIn } from '../../core/calendar.ts';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { at, freshId, testContext, type TestContext } from '../accounts/test-kit.ts';
import { tick } from './tick.ts';

const from = at('2024-01-01T00:00:00Z');
const to = at('2027-12-31T00:00:00Z');

/**
 * For random registration instants (any day, any time, month ends and leap
 * days included) and random tick times, the allotment lots are exactly the
 * cycle starts up to the last tick: one per cycle, each issued at its start.
 */
describe.each(testEngines)('tick property on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
  });
  afterAll(() => opened.cleanup());

  it('issues one allotment lot per cycle start <= the last tick, never more', async () => {
    const scenario = fc.record({
      registeredAt: fc.integer({ min: from, max: to }),
      // Offsets of the ticks after registration, in hours, up to ~14 months.
      ticks: fc.array(fc.integer({ min: 0, max: 430 * 24 }), { minLength: 1, maxLength: 5 }),
      // Sometimes the same tick twice.
      repeatLast: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ registeredAt, ticks, repeatLast }) => {
        const id = freshId('prop');
        const registered = await registerFreelancer(ctx, { id }, registeredAt);
        expect(registered.ok).toBe(true);
        const times = [...ticks].sort((a, b) => a - b).map((h) => registeredAt + h * MS_PER_HOUR);
        if (repeatLast) times.push(times[times.length - 1] as number);
        for (const t of times) await tick(ctx, t, { batchSize: 7 });
        const last = times[times.length - 1] as number;
        const starts = cycleStartsIn(registeredAt, registeredAt, last, 1000);
        const expected = [registeredAt, ...starts.map((s) => s.start)];
        const allotments = (await ctx.store.lots(id)).filter((lot) => lot.source === 'allotment');
        expect(allotments.map((lot) => lot.issuedAt)).toEqual(expected);
        expect(expected).toEqual(expected.map((_, i) => cycleStartAt(registeredAt, i)));
      }),
      { numRuns: 20, seed: 20260131, endOnFailure: true },
    );
  }, 180_000);

  it('issues one lot per cycle for a Jan 31 registration across a leap February', async () => {
    const id = freshId('leap');
    await registerFreelancer(ctx, { id }, at('2028-01-31T23:00:00Z'));
    for (let day = 0; day <= 70; day += 1) await tick(ctx, at('2028-01-31T00:00:00Z') + day * MS_PER_DAY);
    const allotments = (await ctx.store.lots(id)).filter((lot) => lot.source === 'allotment');
    expect(allotments.map((lot) => new Date(lot.issuedAt).toISOString())).toEqual([
      '2028-01-31T23:00:00.000Z',
      '2028-02-01T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
      '2028-04-01T00:00:00.000Z',
    ]);
  });
});
