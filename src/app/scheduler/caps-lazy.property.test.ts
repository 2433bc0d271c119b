import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleStartAt } from '../../core/calendar.ts';
import { defaultPolicy, eras } from '../../core/policy/eras.ts';
import { createTimeline } from '../../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { allEntries, at, freshId, testContext, type TestContext } from '../accounts/test-kit.ts';
import { readBalance } from '../accounts/read-balance.ts';
import { adjustConnects } from '../admin/adjust-connects.ts';
import { defaultRenewOptions, renewAccount } from './renew-account.ts';

/**
 * Rule 1.2 for caps (rules.md 1.9): under a capped policy the balance as of any
 * instant is the same whether the scheduler renewed the account on time,
 * late, only at the read, or never (the read projects what is due). Twins
 * live the same history of operator grants and removals; only when the
 * scheduler runs for them differs.
 */

const era2021 = eras.find((p) => p.id === 'era-2021');
if (era2021 === undefined) throw new Error('the 2021 era is missing');

const REGISTERED = at('2026-01-15T10:00:00Z');
const READ_AT = at('2026-07-01T00:00:00Z');
const CYCLE_STARTS = [1, 2, 3, 4, 5].map((i) => cycleStartAt(REGISTERED, i));

interface Write {
  readonly offset: number;
  readonly connects: number;
}

const writeArb: fc.Arbitrary<Write> = fc.record({
  offset: fc.integer({ min: 1, max: READ_AT - REGISTERED - 1 }),
  connects: fc.oneof(fc.integer({ min: 5, max: 150 }), fc.integer({ min: -60, max: -1 })),
});

type Schedule = 'on_time' | 'late' | 'at_read' | 'never';

describe.each(testEngines)('caps without a tick on $name', (engine) => {
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

  /** Lives the history under one schedule of scheduler runs; returns the account. */
  async function live(writes: readonly Write[], schedule: Schedule, delays: readonly number[]) {
    const id = freshId('cap');
    expect((await registerFreelancer(ctx, { id }, REGISTERED)).ok).toBe(true);
    const runs: Instant[] =
      schedule === 'on_time'
        ? CYCLE_STARTS
        : schedule === 'late'
          ? CYCLE_STARTS.map((s, i) => s + (delays[i] ?? 0))
          : schedule === 'at_read'
            ? [READ_AT]
            : [];
    const steps = [
      ...writes.map((w, i) => ({ at: REGISTERED + w.offset, write: w, i })),
      ...runs.map((t) => ({ at: Math.min(t, READ_AT), write: null, i: -1 })),
    ].sort((a, b) => a.at - b.at || (a.write === null ? -1 : 1));
    for (const step of steps) {
      if (step.write === null) {
        await renewAccount(ctx, id, step.at, defaultRenewOptions);
        continue;
      }
      const { connects } = step.write;
      await adjustConnects(
        ctx,
        { freelancerId: id, connects, reason: 'property', idempotencyKey: `w${step.i}` },
        step.at,
      );
    }
    if (schedule !== 'never') await renewAccount(ctx, id, READ_AT, defaultRenewOptions);
    return id;
  }

  it('reads the same balance at every instant whether the scheduler ran on time, late, only at the read or never', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(writeArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 25 * MS_PER_DAY }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: READ_AT - REGISTERED }), { maxLength: 6 }),
        async (writes, delays, probes) => {
          const twins = [
            await live(writes, 'on_time', delays),
            await live(writes, 'late', delays),
            await live(writes, 'at_read', delays),
          ];
          const instants = [
            ...probes.map((p) => REGISTERED + p),
            ...writes.map((w) => REGISTERED + w.offset),
            ...CYCLE_STARTS.flatMap((s) => [s - 1, s]),
            READ_AT,
          ];
          const never = await live(writes, 'never', delays);
          for (const t of instants) {
            const balances = await Promise.all(twins.map((id) => ctx.store.balanceAsOf(id, t)));
            expect(balances[1], `late, as of ${new Date(t).toISOString()}`).toEqual(balances[0]);
            expect(balances[2], `at the read, as of ${new Date(t).toISOString()}`).toEqual(balances[0]);
            // Never renewed by the scheduler: the read projects what is due.
            const read = await readBalance(ctx, never, t, READ_AT);
            expect(read, `never renewed, as of ${new Date(t).toISOString()}`).toEqual(balances[0]);
          }
          const shape = async (id: string) =>
            (await allEntries(ctx.store, id)).map((e) => [e.type, e.amount, e.effectiveAt, e.balanceAfter]);
          const [onTime, late, atRead] = await Promise.all(twins.map(shape));
          expect(late).toEqual(onTime);
          expect(atRead).toEqual(onTime);
        },
      ),
      { numRuns: 12 },
    );
  });
});
