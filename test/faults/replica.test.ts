import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivatePostgres, freePort, type PrivatePostgres } from './private-postgres.ts';
import { createPrivateReplica, type PrivateReplica } from './private-replica.ts';
import { FAULT_ADMIN_TOKEN, startServerProcess, type ServerProcess } from './server-process.ts';

/**
 * DATABASE_READ_URL against a real streaming replica: reads that may lag come
 * from it while it keeps up, from the primary once it falls behind the bound
 * or goes down, and a caller's balance right after its write is always exact.
 */

const MAX_LAG_MS = 1_500;
const ID = 'rr-ada';
const admin = { authorization: `Bearer ${FAULT_ADMIN_TOKEN}`, 'content-type': 'application/json' };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every read the replica may serve, with the current balance (always the primary). */
const READS = [
  `/v1/freelancers/${ID}/entries`,
  `/v1/freelancers/${ID}/entries?format=csv`,
  `/v1/freelancers/${ID}/balance?asOf=2020-01-01T00:00:00.000Z`,
  `/v1/freelancers/${ID}/balance`,
  `/v1/freelancers/${ID}/purchases`,
  `/v1/freelancers/${ID}/proposals`,
  '/v1/admin/stats',
  '/v1/admin/freelancers',
  '/v1/jobs',
  '/v1/promo-codes',
  '/readyz',
];

describe('read replica (private primary, pg_basebackup -R replica, real server process)', () => {
  let primary: PrivatePostgres;
  let replica: PrivateReplica;
  let server: ServerProcess;
  let replicaSql: pg.Client;
  let grants = 0;

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: admin, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, text: await res.text() };
  };
  const json = async <T>(path: string): Promise<T> => {
    const { status, text } = await get(path);
    expect(status, `${path}: ${text}`).toBe(200);
    return JSON.parse(text) as T;
  };
  const entryCount = async () =>
    (await json<{ entries: unknown[] }>(`/v1/freelancers/${ID}/entries`)).entries.length;
  const available = async () =>
    (await json<{ available: number }>(`/v1/freelancers/${ID}/balance`)).available;
  const issued = async () => (await json<{ totals: { issued: number } }>('/v1/admin/stats')).totals.issued;
  const replicaState = async () => (await json<{ replica?: { state: string } }>('/readyz')).replica?.state;
  const grant = async (connects: number) => {
    grants += 1;
    const res = await fetch(`${server.url}/v1/admin/grants`, {
      method: 'POST',
      headers: { ...admin, 'idempotency-key': `replica-grant-${grants}` },
      body: JSON.stringify({ freelancerId: ID, connects, reason: 'replica test' }),
    });
    expect(res.status, await res.text()).toBeLessThan(300);
  };
  const until = async (what: string, check: () => Promise<boolean>, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await pause(100);
    }
  };

  beforeAll(async () => {
    primary = await createPrivatePostgres();
    replica = await createPrivateReplica(primary);
    replicaSql = new pg.Client({ connectionString: replica.url });
    await replicaSql.connect();
    replicaSql.on('error', () => undefined);
    server = await startServerProcess(primary.url, await freePort(), {
      DATABASE_READ_URL: replica.url,
      CONNECTS_READ_MAX_LAG_MS: String(MAX_LAG_MS),
    });
    const registered = await fetch(`${server.url}/v1/freelancers`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ id: ID }),
    });
    expect(registered.status).toBeLessThan(300);
    await grant(100);
  });
  afterAll(async () => {
    await server?.kill();
    await replicaSql?.end().catch(() => undefined);
    replica?.destroy();
    primary?.destroy();
  });

  it('serves history from the replica, the balance after a write exact, and falls back past the lag bound', async () => {
    await until('the replica streaming', async () => (await replicaState()) === 'streaming');
    await until('the replica holding the first grant', async () => (await entryCount()) > 0);
    const before = await entryCount();
    const balanceBefore = await available();
    const issuedBefore = await issued();

    await replicaSql.query('SELECT pg_wal_replay_pause()');
    await until('replay paused', async () => {
      const { rows } = await replicaSql.query<{ s: string }>('SELECT pg_get_wal_replay_pause_state() AS s');
      return rows[0]?.s === 'paused';
    });
    await grant(7);
    const wroteAt = Date.now();
    // The caller's own balance right after its write: exact (the primary).
    expect(await available()).toBe(balanceBefore + 7);
    // History within the lag bound: from the replica, which has not replayed the grant.
    expect(await entryCount()).toBe(before);
    const csv = await get(`/v1/freelancers/${ID}/entries?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\n')).toHaveLength(before + 1);
    // Statistics too.
    expect(await issued()).toBe(issuedBefore);

    // Past the bound the replica counts as lagging and the same read comes from the primary.
    await until('history from the primary', async () => (await entryCount()) === before + 1);
    const fellBackMs = Date.now() - wroteAt;
    expect(fellBackMs).toBeLessThan(MAX_LAG_MS + 2_000);
    expect(await replicaState()).toBe('lagging');
    expect(await issued()).toBe(issuedBefore + 7);

    await replicaSql.query('SELECT pg_wal_replay_resume()');
    await until('the replica streaming again', async () => (await replicaState()) === 'streaming');
    expect(await entryCount()).toBe(before + 1);
    console.log(JSON.stringify({ replica: 'paused replay', fellBackMs, maxLagMs: MAX_LAG_MS }));
  });

  it('with the replica killed, every read answers from the primary (no 5xx) and /readyz stays 200', async () => {
    const before = await entryCount();
    const balanceBefore = await available();
    replica.crash();
    await grant(5);
    for (const path of READS) {
      const { status, text } = await get(path);
      expect(status, `${path}: ${text}`).toBe(200);
    }
    expect(await entryCount()).toBe(before + 1);
    expect(await available()).toBe(balanceBefore + 5);
    const ready = await json<{ replica?: { state: string; lagMs: number | null } }>('/readyz');
    expect(ready.replica).toEqual({ state: 'down', lagMs: null });
  });
});
