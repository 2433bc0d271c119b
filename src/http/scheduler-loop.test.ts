import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFreelancer } from '../app/accounts/register-freelancer.ts';
import type { TickHooks } from '../app/context.ts';
import type { TickSummary } from '../app/scheduler/tick.ts';
import { ManualClock, SystemClock } from '../clock.ts';
import { createConnects, type Connects, type SchedulerRun } from '../connects.ts';
import { testEngines, type OpenedEngine } from '../store/testing/test-engines.ts';
import { memoryLogger } from './logger.ts';
import { catchingUp, SchedulerLoop } from './scheduler-loop.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling; fails after `ms`. */
async function eventually(check: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe.each(testEngines)('the scheduler loop on $name', (engine) => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await engine.open();
  });
  afterAll(() => opened.cleanup());

  /** The store's Connects, its tick hooks replaced by the test's own when given. */
  const connects = (hooks?: TickHooks): Connects => {
    const made = createConnects({ store: opened.store });
    if (hooks !== undefined) made.ctx.hooks = hooks;
    return made;
  };

  it('runs the tick with the clock, issues due allotments and logs one summary line', async () => {
    const made = connects();
    const registered = Date.UTC(2024, 0, 15);
    expect(
      (await registerFreelancer(made.ctx, { id: 'loop-ada', registeredAt: registered }, registered)).ok,
    ).toBe(true);
    const logger = memoryLogger();
    const loop = new SchedulerLoop({ connects: made, clock: new ManualClock(Date.UTC(2024, 2, 20)), logger });
    const run = await loop.runNow();
    expect(run).toMatchObject({ now: Date.UTC(2024, 2, 20), complete: true });
    expect(run.tick.cycles).toBeGreaterThanOrEqual(2);
    expect((await opened.store.balance('loop-ada', Date.UTC(2024, 2, 20))).balance).toBe(70);
    const lines = logger.records.filter((r) => r.message === 'scheduler tick');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields).toMatchObject({ now: '2024-03-20T00:00:00.000Z', complete: true });
    expect(loop.status()).toMatchObject({ looping: false, busy: false, runs: 1, lastError: null });
    // Running again does the work once only.
    expect((await loop.runNow()).tick.cycles).toBe(0);
  });

  it('never runs two at once in one process: requests queue behind the run in progress', async () => {
    let active = 0;
    let most = 0;
    const slowHook = async () => {
      active += 1;
      most = Math.max(most, active);
      await sleep(30);
      active -= 1;
      return 0;
    };
    const loop = new SchedulerLoop({
      connects: connects({ chargeBadges: slowHook }),
      clock: new ManualClock(Date.UTC(2024, 2, 20)),
      logger: memoryLogger(),
    });
    const runs = await Promise.all([loop.runNow(), loop.runNow(), loop.runNow()]);
    expect(runs).toHaveLength(3);
    expect(most).toBe(1);
    expect(loop.status().runs).toBe(3);
  });

  it('does nothing by itself until started, then runs every interval until stopped', async () => {
    const loop = new SchedulerLoop({
      connects: connects(),
      clock: new SystemClock(),
      logger: memoryLogger(),
      intervalMs: 20,
    });
    await sleep(60);
    expect(loop.status().runs).toBe(0);
    loop.start();
    await eventually(() => loop.status().runs >= 2);
    expect(loop.status().looping).toBe(true);
    await loop.stop();
    const after = loop.status().runs;
    await sleep(80);
    expect(loop.status()).toMatchObject({ looping: false, busy: false, runs: after });
  });

  it('stop waits for the run in progress to finish', async () => {
    let finished = false;
    const loop = new SchedulerLoop({
      connects: connects({
        closeAuctions: async () => {
          await sleep(100);
          finished = true;
          return 0;
        },
      }),
      clock: new SystemClock(),
      logger: memoryLogger(),
    });
    loop.start();
    await eventually(() => loop.status().busy);
    await loop.stop();
    expect(finished).toBe(true);
    expect(loop.status().busy).toBe(false);
  });

  it('a failing run is logged and reported, and the next run still happens', async () => {
    let calls = 0;
    const loop = new SchedulerLoop({
      connects: connects({
        chargeBadges: async () => {
          calls += 1;
          if (calls === 1) throw new Error('badge table on fire');
          return 0;
        },
      }),
      clock: new SystemClock(),
      logger: memoryLogger(),
      intervalMs: 20,
    });
    await expect(loop.runNow()).rejects.toThrow('badge table on fire');
    expect(loop.status().lastError?.message).toBe('badge table on fire');
    loop.start();
    await eventually(() => loop.status().runs >= 1);
    await loop.stop();
  });

  it('a run that uses its whole batch budget says it is not complete', async () => {
    const loop = new SchedulerLoop({
      connects: connects(),
      clock: new ManualClock(Date.UTC(2024, 2, 20)),
      logger: memoryLogger(),
      tickOptions: { maxBatches: 1 },
    });
    const run = await loop.runNow();
    expect(run.complete).toBe(false);
    expect(run.tick.batches).toBe(1);
  });
});

describe('catching up', () => {
  const idle: TickSummary = {
    now: 0,
    accounts: 0,
    cycles: 0,
    allotments: 0,
    connects: 0,
    fastAccounts: 0,
    slowAccounts: 0,
    charged: 0,
    downgraded: 0,
    paymentFailures: 0,
    deferred: 0,
    skipped: 0,
    expired: 0,
    sweptAccounts: 0,
    badgesCharged: 0,
    badgeConnectsCharged: 0,
    auctionsClosed: 0,
    batches: 1000,
    failures: [],
    seconds: 1,
  };
  const run = (complete: boolean, cycles: number): SchedulerRun => ({
    now: 0,
    tick: { ...idle, cycles },
    expiringSoonNotices: 0,
    policiesEffective: 0,
    pruned: 0,
    complete,
    seconds: 1,
  });

  it('continues soon only after an incomplete run that did work', () => {
    expect(catchingUp(run(false, 5))).toBe(true);
    expect(catchingUp(run(true, 5))).toBe(false);
    expect(catchingUp(run(false, 0))).toBe(false);
  });
});
