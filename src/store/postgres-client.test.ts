import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asStoreError, createPostgresClient } from './postgres-client.ts';
import { StoreUnavailableError, type SqlClient } from './sql-client.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-databases.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Connection faults on the shared test server, confined to this test's own backends. */
describe('PostgreSQL adapter: lost connections and timeouts', () => {
  let db: TestDatabase;
  let admin: SqlClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    admin = createPostgresClient({ url: db.url });
  });
  afterAll(async () => {
    await admin?.close();
    await db?.drop();
  });

  it('a connection terminated while checked out fails only its work; the pool serves on', async () => {
    const client = createPostgresClient({ url: db.url });
    try {
      const outcome = client.session(async (session) => {
        const [result] = await session.script('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [Number(result?.rows[0]?.['pid'])]);
        // The socket closes while no statement runs: the client emits 'error', which must not end the process.
        await pause(200);
        await session.query('SELECT 1');
      });
      await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(outcome).rejects.toMatchObject({ code: expect.stringMatching(/^(08006|57P01)$/) });
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.close();
    }
  });

  it('a transaction whose backend is terminated mid-statement rejects with StoreUnavailableError', async () => {
    const client = createPostgresClient({ url: db.url });
    try {
      const outcome = client.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        setTimeout(() => void admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid ?? 0]), 100);
        await tx.query('SELECT pg_sleep(5)');
      });
      await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await client.close();
    }
  });

  it('the statement timeout cuts a slow statement (57014, store unavailable)', async () => {
    const client = createPostgresClient({ url: db.url, timeouts: { statementMs: 200 } });
    try {
      const started = performance.now();
      await expect(client.query('SELECT pg_sleep(3)')).rejects.toMatchObject({
        name: 'StoreUnavailableError',
        code: '57014',
      });
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await client.close();
    }
  });

  it('waiting for a pooled connection is bounded by the acquire timeout', async () => {
    const client = createPostgresClient({ url: db.url, poolSize: 1, timeouts: { acquireMs: 150 } });
    try {
      let release!: () => void;
      const held = client.session(() => new Promise<void>((resolve) => (release = resolve)));
      await pause(100);
      const started = performance.now();
      await expect(client.query('SELECT 1')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(1_000);
      release();
      await held;
      expect((await client.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
    } finally {
      await client.close();
    }
  });

  it('a server that is not there is store unavailable, after the connect attempt', async () => {
    const client = createPostgresClient({ url: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      await expect(client.query('SELECT 1')).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await client.close();
    }
  });
});

describe('asStoreError', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('turns driver and socket failures into StoreUnavailableError (08006 when no SQLSTATE came)', () => {
    for (const error of [
      new Error('Connection terminated unexpectedly'),
      new Error('Query read timeout'),
      new Error('timeout expired'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Client has encountered a connection error and is not queryable'),
      withCode('ECONNRESET'),
      withCode('ECONNREFUSED'),
    ]) {
      expect(asStoreError(error)).toMatchObject({
        name: 'StoreUnavailableError',
        code: '08006',
        cause: error,
      });
    }
  });

  it('keeps the SQLSTATE of server-side unavailability: shutdown, too many connections, statement timeout', () => {
    for (const code of ['57P01', '57P03', '08P01', '53300', '57014']) {
      expect(asStoreError(withCode(code))).toMatchObject({ name: 'StoreUnavailableError', code });
    }
  });

  it('leaves every other error as it is: a refused statement is not an outage', () => {
    for (const error of [withCode('23505'), withCode('40001'), withCode('22P02'), new Error('a bug')]) {
      expect(asStoreError(error)).toBe(error);
    }
  });
});
