import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivatePostgres, freePort, type PrivatePostgres } from './private-postgres.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { checkLedger, seed, startLoad } from './write-load.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The default bound (src/config.ts): acquire 5 s + statement 5 s + 1 s of driver grace, plus 2 s of slack. */
const BOUND_MS = 13_000;
/** Requests in flight get their 503 (6 s), then closing the pool may wait on dead connections (5 s), plus slack. */
const STOP_BOUND_MS = 15_000;
/** Long enough for writes sent after the freeze to run into the timeouts and be answered. */
const FREEZE_MS = 14_000;

async function timed(url: string): Promise<{ status: number; ms: number; retryAfter: string | null }> {
  const started = Date.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  await response.arrayBuffer();
  return {
    status: response.status,
    ms: Date.now() - started,
    retryAfter: response.headers.get('retry-after'),
  };
}

describe('a hung database (SIGSTOP of the private postmaster and its backends)', () => {
  let db: PrivatePostgres;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createPrivatePostgres();
    server = await startServerProcess(db.url, await freePort());
    await seed(server.url);
  });
  afterAll(async () => {
    try {
      db?.freeze(false);
    } catch {
      // Already gone.
    }
    await server?.kill();
    db?.destroy();
  });

  it('answers 503 with Retry-After within the bound, /livez stays 200, and serves again within 5 s', async () => {
    const load = await startLoad(() => server.url, 'hung');
    await pause(1_000);
    db.freeze(true);
    const frozenAt = Date.now();
    const [live, ready] = await Promise.all([timed(`${server.url}/livez`), timed(`${server.url}/readyz`)]);
    await pause(Math.max(0, frozenAt + FREEZE_MS - Date.now()));
    db.freeze(false);
    const thawedAt = Date.now();
    while (Date.now() - thawedAt < 10_000 && !load.outcomes.some((o) => o.at > thawedAt && o.status < 300)) {
      await pause(20);
    }
    await pause(500);
    const report = await load.stop();
    expect(server.alive(), server.logs()).toBe(true);

    // Every write sent while the database was frozen (and answered before it came back) got a 503.
    const duringFreeze = report.outcomes.filter((o) => o.sentAt >= frozenAt && o.at < thawedAt);
    const slowest = Math.max(...duringFreeze.map((o) => o.at - o.sentAt));
    const firstAnswer = Math.min(...duringFreeze.map((o) => o.at)) - frozenAt;
    // Writes already waiting on the database when it froze.
    const caught = report.outcomes.filter((o) => o.sentAt < frozenAt && o.at > frozenAt && o.at < thawedAt);
    const backOk = report.outcomes.find((o) => o.at > thawedAt && o.status >= 200 && o.status < 300);
    const recoveryMs = backOk === undefined ? null : backOk.at - thawedAt;
    const check = await checkLedger(server.url, db.url, 'hung', report);
    const errors = server
      .logs()
      .split('\n')
      .filter((line) => line.includes('"unhandled error"'));
    if (errors.length > 0) console.log(errors.slice(0, 3).join('\n'));
    console.log(
      JSON.stringify({
        fault: 'SIGSTOP',
        requests: report.outcomes.length,
        unavailable503: report.outcomes.filter((o) => o.status === 503).length,
        livezMs: live.ms,
        readyzMs: ready.ms,
        writesDuringFreeze: duringFreeze.length,
        caughtByFreeze: caught.length,
        caught503AfterMs: Math.max(...caught.map((o) => o.at - frozenAt)),
        firstWrite503AfterMs: firstAnswer,
        slowestWrite503Ms: slowest,
        recoveryMs,
        acknowledged: check.acknowledged,
        lost: check.lost.length,
        doubled: check.doubled.length,
      }),
    );
    expect(live.status).toBe(200);
    expect(live.ms).toBeLessThan(1_000);
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(3_000);
    expect(duringFreeze.length).toBeGreaterThan(0);
    expect(duringFreeze.filter((o) => o.status !== 503 || o.retryAfter === null)).toEqual([]);
    // Those in flight when it froze: done just before it took hold (2xx), or 503.
    expect(caught.filter((o) => o.status >= 300 && o.status !== 503)).toEqual([]);
    expect(slowest).toBeLessThan(BOUND_MS);
    expect(recoveryMs).not.toBeNull();
    expect(recoveryMs).toBeLessThan(5_000);
    expect(check.lost).toEqual([]);
    expect(check.doubled).toEqual([]);
    expect(check.missing).toEqual([]);
    expect(check.badStatuses).toEqual([]);
  });

  it('SIGTERM while the database is hung still ends the process, with exit 0, in bounded time', async () => {
    const load = await startLoad(() => server.url, 'hung-stop');
    await pause(500);
    db.freeze(true);
    try {
      await pause(500);
      const signalledAt = Date.now();
      server.child.kill('SIGTERM');
      const exit = await Promise.race([server.exited, pause(30_000).then(() => 'still running' as const)]);
      const exitedMs = Date.now() - signalledAt;
      await load.stop();
      console.log(JSON.stringify({ fault: 'SIGTERM with the database hung', exit, exitedMs }));
      expect(exit).toEqual({ code: 0, signal: null });
      expect(exitedMs).toBeLessThan(STOP_BOUND_MS);
    } finally {
      db.freeze(false);
    }
  });
});
