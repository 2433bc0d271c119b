import { createLedgerStore, type StoreOptions } from '../ledger-store.ts';
import { migrate } from '../migrate.ts';
import { createPostgresClient } from '../postgres-client.ts';
import type { SqlClient } from '../sql-client.ts';
import type { LedgerStore } from '../store.ts';
import { openMigratedPglite } from './pglite-template.ts';
import { createTestDatabase } from './test-databases.ts';

export interface OpenedEngine {
  readonly store: LedgerStore;
  readonly client: SqlClient;
  /** The PostgreSQL URL (null for PGlite), for child processes. */
  readonly url: string | null;
  /** Opens another store on the same database (PostgreSQL only: PGlite is one process, one client). */
  another(options?: StoreOptions): Promise<LedgerStore>;
  cleanup(): Promise<void>;
}

export interface TestEngine {
  readonly name: 'postgres' | 'pglite';
  open(options?: StoreOptions): Promise<OpenedEngine>;
}

/**
 * Set by the pooler suite (`npm run test:pooler`, test/pooler/global-setup.ts): the host:port of a
 * PgBouncer in transaction mode. The PostgreSQL engine then reaches its databases through it, with the
 * adapter's pooler-safe mode, and the embedded engine sits the run out.
 */
const POOLER_ADDRESS = process.env['CONNECTS_TEST_POOLER'];

/** The database's URL through the pooler when there is one. */
function reachable(url: string): string {
  if (POOLER_ADDRESS === undefined || POOLER_ADDRESS === '') return url;
  const through = new URL(url);
  through.host = POOLER_ADDRESS;
  return through.toString();
}

const connect = (url: string) =>
  createPostgresClient(POOLER_ADDRESS ? { url, pooler: 'transaction' } : { url });

const postgres: TestEngine = {
  name: 'postgres',
  async open(options = {}) {
    const db = await createTestDatabase();
    const url = reachable(db.url);
    const client = connect(url);
    await migrate(client);
    const others: LedgerStore[] = [];
    const store = createLedgerStore(client, options);
    return {
      store,
      client,
      url,
      async another(more = options) {
        const other = createLedgerStore(connect(url), more);
        others.push(other);
        return other;
      },
      async cleanup() {
        for (const other of others) await other.close();
        await store.close();
        await db.drop();
      },
    };
  },
};

const pglite: TestEngine = {
  name: 'pglite',
  async open(options = {}) {
    const client = await openMigratedPglite();
    const store = createLedgerStore(client, options);
    return {
      store,
      client,
      url: null,
      another: () => Promise.reject(new Error('PGlite has a single client')),
      cleanup: () => store.close(),
    };
  },
};

/** Every real engine the contract suite runs against. */
export const testEngines: readonly TestEngine[] = POOLER_ADDRESS ? [postgres] : [postgres, pglite];
