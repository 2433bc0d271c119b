import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_TIMEOUTS } from '../../src/config.ts';
import { TEST_ADMIN_TOKEN } from '../../src/http/testing/test-api.ts';
import { createLedgerStore } from '../../src/store/ledger-store.ts';
import { migrate } from '../../src/store/migrate.ts';
import {
  createPostgresClient,
  type PoolerMode,
  type PostgresTimeouts,
} from '../../src/store/postgres-client.ts';
import type { SqlClient } from '../../src/store/sql-client.ts';
import { createTestDatabase, type TestDatabase } from '../../src/store/testing/test-databases.ts';
import type { TestEngine } from '../../src/store/testing/test-engines.ts';
import { openLiveApi, type LiveApi } from '../api/kit.ts';
import { startPgBouncer, type PgBouncer } from './pgbouncer.ts';

/**
 * The PostgreSQL adapter behind PgBouncer in transaction mode, where one
 * client connection's transactions may each run on a different server
 * connection. Before the adapter had a pooler-safe mode, 20 of 30 concurrent
 * balance reads answered 500 (`prepared statement "connects_read_balance"
 * already exists`), and the timeouts sent as startup parameters were refused.
 */
const POOLER = process.env['CONNECTS_TEST_POOLER'];
if (POOLER === undefined || POOLER === '') {
  throw new Error('run with --config test/pooler/vitest.config.ts: its global setup starts PgBouncer');
}

const READS = 30;
/** The timeouts a server runs with (src/config.ts), startup parameters included. */
const SERVER_TIMEOUTS: PostgresTimeouts = DEFAULT_DATABASE_TIMEOUTS;

function through(url: string, address: string): string {
  const via = new URL(url);
  via.host = address;
  return via.toString();
}

/** The API on a fresh database reached through `address`, the adapter in `pooler` mode. */
function engineThrough(address: string, pooler: PoolerMode, onPoolerDetected?: () => void): TestEngine {
  return {
    name: 'postgres',
    async open(options = {}) {
      const db = await createTestDatabase();
      const url = through(db.url, address);
      const client = createPostgresClient({
        url,
        pooler,
        timeouts: SERVER_TIMEOUTS,
        ...(onPoolerDetected === undefined ? {} : { onPoolerDetected }),
      });
      await migrate(client);
      const store = createLedgerStore(client, options);
      return {
        store,
        client,
        url,
        another: () => Promise.reject(new Error('one store per test here')),
        async cleanup() {
          await store.close();
          await db.drop();
        },
      };
    },
  };
}

/** 30 freelancers, then their 30 balances read at once over HTTP: the statuses. */
async function concurrentBalanceReads(live: LiveApi): Promise<number[]> {
  const ids = Array.from({ length: READS }, (_, i) => `pool-${i}`);
  await live.register(...ids);
  const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const responses = await Promise.all(
    ids.map((id) => fetch(`${live.http.baseUrl}/v1/freelancers/${id}/balance`, { headers })),
  );
  return Promise.all(responses.map(async (r) => (await r.text(), r.status)));
}

describe('the PostgreSQL adapter through PgBouncer (transaction mode)', () => {
  let live: LiveApi | undefined;
  afterEach(async () => {
    await live?.close();
    live = undefined;
  });

  it(`answers ${READS} concurrent balance reads with 200 (CONNECTS_DB_POOLER=transaction)`, async () => {
    live = await openLiveApi(engineThrough(POOLER, 'transaction'));
    expect(await concurrentBalanceReads(live)).toEqual(Array<number>(READS).fill(200));
    const health = await fetch(`${live.http.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it('finds the pooler by itself (auto, the default) when PgBouncer refuses the startup parameters', async () => {
    let detected = 0;
    live = await openLiveApi(engineThrough(POOLER, 'auto', () => (detected += 1)));
    expect(await concurrentBalanceReads(live)).toEqual(Array<number>(READS).fill(200));
    expect(detected).toBe(1);
  });

  it('refuses to guess with CONNECTS_DB_POOLER=none: the startup parameters are refused', async () => {
    const db = await createTestDatabase();
    const client = createPostgresClient({
      url: through(db.url, POOLER),
      pooler: 'none',
      timeouts: SERVER_TIMEOUTS,
    });
    try {
      await expect(client.query('SELECT 1')).rejects.toMatchObject({
        name: 'StoreUnavailableError',
        message: expect.stringMatching(/unsupported startup parameter/),
      });
    } finally {
      await client.close();
      await db.drop();
    }
  });

  it('bounds a statement inside a transaction by SET LOCAL statement_timeout (57014)', async () => {
    const db = await createTestDatabase();
    const client = createPostgresClient({
      url: through(db.url, POOLER),
      pooler: 'transaction',
      timeouts: { ...SERVER_TIMEOUTS, statementMs: 300 },
    });
    try {
      const started = performance.now();
      const slow = client.transaction((tx) => tx.query('SELECT pg_sleep(5)'));
      await expect(slow).rejects.toMatchObject({ name: 'StoreUnavailableError', code: '57014' });
      expect(performance.now() - started).toBeLessThan(2_500);
      // Each transaction carries the setting; nothing is left on the connection outside one.
      const inside = await client.transaction((tx) => tx.query('SHOW statement_timeout'));
      expect(inside.rows).toEqual([{ statement_timeout: '300ms' }]);
      const outside = await client.query('SHOW statement_timeout');
      expect(outside.rows).toEqual([{ statement_timeout: '0' }]);
    } finally {
      await client.close();
      await db.drop();
    }
  });
});

describe('auto mode behind a PgBouncer that accepts and drops the startup parameters', () => {
  let bouncer: PgBouncer;
  let live: LiveApi | undefined;
  beforeAll(async () => {
    const upstream = new URL(process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/x');
    bouncer = await startPgBouncer({
      upstreamHost: upstream.hostname,
      upstreamPort: Number(upstream.port || 5432),
      ignoreStartupParameters: ['statement_timeout', 'idle_in_transaction_session_timeout'],
    });
  });
  afterAll(async () => {
    await live?.close();
    await bouncer?.stop();
  });

  it(`survives a prepared statement gone astray; ${READS} concurrent reads answer 200`, async () => {
    let detected = 0;
    live = await openLiveApi(engineThrough(`127.0.0.1:${bouncer.port}`, 'auto', () => (detected += 1)));
    expect(await concurrentBalanceReads(live)).toEqual(Array<number>(READS).fill(200));
    // A ledger batch's PREPARE landing on another server connection shows it, once at most; the
    // balance reads themselves prepare nothing (one unnamed statement answers many of them).
    expect(detected).toBeLessThanOrEqual(1);
  });
});

describe('a direct connection keeps its prepared statements (auto)', () => {
  let db: TestDatabase;
  let client: SqlClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = createPostgresClient({ url: db.url, timeouts: SERVER_TIMEOUTS, poolSize: 1 });
    await migrate(client);
  });
  afterAll(async () => {
    await client?.close();
    await db?.drop();
  });

  it('prepares the batch statements and the balance read once per connection', async () => {
    const store = createLedgerStore(client);
    const now = Date.UTC(2024, 2, 10, 12);
    const op = {
      kind: 'grant',
      amount: 5,
      source: 'purchase',
      category: 'paid',
      expiresAt: now + 1e9,
    } as const;
    expect((await store.execute({ account: 'direct-1', op, now })).ok).toBe(true);
    expect((await store.balance('direct-1', now)).balance).toBe(5);
    const names = await client.session(async (session) => {
      const [listed] = await session.script('SELECT name FROM pg_prepared_statements ORDER BY name');
      return { tracked: [...(session.prepared ?? [])].sort(), listed: listed?.rows.map((r) => r['name']) };
    });
    expect(names.tracked).toEqual([
      'connects_batch_load_v1',
      'connects_batch_lock_v2',
      'connects_batch_write_v1',
    ]);
    expect(names.listed).toEqual([...names.tracked, 'connects_read_balance']);
  });
});
