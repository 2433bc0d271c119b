import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivatePostgres, freePort, type PrivatePostgres } from './private-postgres.ts';
import { FAULT_ADMIN_TOKEN, startServerProcess, type ServerProcess } from './server-process.ts';
import { checkLedger, seed, startLoad, type LedgerCheck, type Outcome } from './write-load.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) return false;
    await pause(20);
  }
  return true;
}

/** Terminates the server's backends that are running a statement or sit inside a transaction. */
async function terminateActiveBackends(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'`,
    );
    for (const { pid } of rows) await client.query('SELECT pg_terminate_backend($1)', [pid]);
    return rows.length;
  } finally {
    await client.end();
  }
}

function expectClean(check: LedgerCheck): void {
  expect(check.acknowledged).toBeGreaterThan(0);
  expect(check.lost).toEqual([]);
  expect(check.doubled).toEqual([]);
  expect(check.missing).toEqual([]);
  expect(check.resendFailures).toEqual([]);
  expect(check.badStatuses).toEqual([]);
}

const firstOkAfter = (outcomes: readonly Outcome[], t: number) =>
  outcomes.find((o) => o.at > t && o.status >= 200 && o.status < 300)?.at;

describe('database faults under a write load (private PostgreSQL, real server process)', () => {
  let db: PrivatePostgres;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createPrivatePostgres();
    server = await startServerProcess(db.url, await freePort());
    await seed(server.url);
  });
  afterAll(async () => {
    await server?.kill();
    db?.destroy();
  });

  it('pg_terminate_backend of active backends fails only their requests; the process serves on', async () => {
    const load = await startLoad(() => server.url, 'term');
    await pause(1_000);
    let terminated = 0;
    for (let round = 0; round < 6; round++) {
      terminated += await terminateActiveBackends(db.url);
      await pause(300);
    }
    await pause(1_000);
    const report = await load.stop();
    expect(terminated).toBeGreaterThan(0);
    expect(server.alive(), server.logs()).toBe(true);
    const check = await checkLedger(server.url, db.url, 'term', report);
    console.log(
      JSON.stringify({ fault: 'pg_terminate_backend', terminated, ...summary(report.outcomes, check) }),
    );
    expectClean(check);
  });

  for (const mode of ['immediate', 'fast'] as const) {
    it(`pg_ctl stop -m ${mode}: the process stays up and serves again within 5 s of the restart`, async () => {
      const prefix = `stop-${mode}`;
      const load = await startLoad(() => server.url, prefix);
      await pause(1_000);
      db.stop(mode);
      await pause(2_000);
      db.start();
      const back = Date.now();
      await waitFor(() => firstOkAfter(load.outcomes, back) !== undefined, 10_000);
      const servedAgain = firstOkAfter(load.outcomes, back);
      await pause(500);
      const report = await load.stop();
      expect(server.alive(), server.logs()).toBe(true);
      const check = await checkLedger(server.url, db.url, prefix, report);
      const recoveryMs = servedAgain === undefined ? null : servedAgain - back;
      console.log(
        JSON.stringify({ fault: `stop -m ${mode}`, recoveryMs, ...summary(report.outcomes, check) }),
      );
      expect(recoveryMs).not.toBeNull();
      expect(recoveryMs).toBeLessThan(5_000);
      expectClean(check);
    });
  }

  it('after the faults, the scheduler loop still runs and a tick succeeds', async () => {
    const headers = { authorization: `Bearer ${FAULT_ADMIN_TOKEN}` };
    const tick = await fetch(`${server.url}/v1/admin/tick`, { method: 'POST', headers });
    expect(tick.status, await tick.text()).toBe(200);
    const status = (await (await fetch(`${server.url}/v1/admin/scheduler`, { headers })).json()) as {
      looping: boolean;
    };
    expect(status.looping).toBe(true);
    expect(server.alive()).toBe(true);
  });
});

function summary(outcomes: readonly Outcome[], check: LedgerCheck): Record<string, number> {
  return {
    requests: outcomes.length,
    acknowledged: check.acknowledged,
    unavailable503: outcomes.filter((o) => o.status === 503).length,
    noAnswer: outcomes.filter((o) => o.status === 0).length,
    lost: check.lost.length,
    doubled: check.doubled.length,
  };
}
