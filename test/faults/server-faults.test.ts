import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivatePostgres, freePort, type PrivatePostgres } from './private-postgres.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { checkLedger, seed, startLoad, type LedgerCheck } from './write-load.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectClean(check: LedgerCheck): void {
  expect(check.acknowledged).toBeGreaterThan(0);
  expect(check.lost).toEqual([]);
  expect(check.doubled).toEqual([]);
  expect(check.missing).toEqual([]);
  expect(check.resendFailures).toEqual([]);
  expect(check.badStatuses).toEqual([]);
}

describe('server faults under a write load (private PostgreSQL, real server process)', () => {
  let db: PrivatePostgres;
  let port: number;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createPrivatePostgres();
    port = await freePort();
    server = await startServerProcess(db.url, port);
    await seed(server.url);
  });
  afterAll(async () => {
    await server?.kill();
    db?.destroy();
  });

  it('SIGTERM: stops taking work, finishes what is in flight, closes the store last, exits 0', async () => {
    const load = await startLoad(() => server.url, 'term-sig');
    await pause(1_500);
    const stopping = server;
    const signalledAt = Date.now();
    stopping.child.kill('SIGTERM');
    const { code, signal } = await stopping.exited;
    const exitedMs = Date.now() - signalledAt;
    await pause(300);
    const report = await load.stop();
    // Sent well after the signal: refused with 503 and Connection: close, or the connection was refused.
    const late = report.outcomes.filter((o) => o.sentAt > signalledAt + 300);
    const servedLate = late.filter((o) => o.status !== 0 && (o.status !== 503 || o.connection !== 'close'));
    const cut = report.outcomes.filter((o) => o.status === 0 && !String(o.error).includes('ECONNREFUSED'));
    const logs = stopping.logs();
    server = await startServerProcess(db.url, port);
    const check = await checkLedger(server.url, db.url, 'term-sig', report);
    console.log(
      JSON.stringify({
        fault: 'SIGTERM',
        exitCode: code,
        exitedMs,
        requests: report.outcomes.length,
        acknowledged: check.acknowledged,
        refused503: report.outcomes.filter((o) => o.status === 503).length,
        connectionRefused: report.outcomes.filter((o) => String(o.error).includes('ECONNREFUSED')).length,
        cutConnections: cut.length,
        lost: check.lost.length,
        doubled: check.doubled.length,
      }),
    );
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(exitedMs).toBeLessThan(5_000);
    expect(logs).not.toContain('Cannot use a pool');
    expect(logs).not.toContain('"level":"error"');
    expect(late.length).toBeGreaterThan(0);
    expect(servedLate).toEqual([]);
    expect(cut).toEqual([]);
    expectClean(check);
  });

  it('SIGKILL twice, restarted each time: nothing acknowledged is lost, nothing applies twice', async () => {
    const load = await startLoad(() => server.url, 'kill9');
    for (let round = 0; round < 2; round++) {
      await pause(1_500);
      await server.kill();
      server = await startServerProcess(db.url, port);
    }
    await pause(1_000);
    const report = await load.stop();
    const check = await checkLedger(server.url, db.url, 'kill9', report);
    console.log(
      JSON.stringify({
        fault: 'SIGKILL x2',
        requests: report.outcomes.length,
        acknowledged: check.acknowledged,
        noAnswer: report.outcomes.filter((o) => o.status === 0).length,
        lost: check.lost.length,
        doubled: check.doubled.length,
      }),
    );
    expectClean(check);
  });
});
