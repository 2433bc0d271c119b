import { createLedgerStore, type StoreOptions } from './ledger-store.ts';
import { migrate } from './migrate.ts';
import { createPgliteClient } from './pglite-client.ts';
import { createPostgresClient } from './postgres-client.ts';
import type { SqlClient } from './sql-client.ts';
import type { LedgerStore } from './store.ts';

export interface OpenStoreOptions extends StoreOptions {
  /** A PostgreSQL URL; when given, the store runs on PostgreSQL. */
  readonly url?: string;
  /** Otherwise PGlite in this folder ('memory://' for a throwaway in-memory database; default ./data/pglite). */
  readonly dataDir?: string;
  /** PostgreSQL pool size. */
  readonly poolSize?: number;
}

export const DEFAULT_DATA_DIR = './data/pglite';

export async function openClient(options: OpenStoreOptions): Promise<SqlClient> {
  if (options.url !== undefined) {
    return createPostgresClient({
      url: options.url,
      ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      ...(options.batch?.maxInFlight === undefined
        ? {}
        : { maxConcurrentTransactions: options.batch.maxInFlight }),
    });
  }
  return createPgliteClient(options.dataDir ?? DEFAULT_DATA_DIR);
}

/** Opens the ledger store (PostgreSQL with a url, else embedded PGlite) and applies pending migrations. */
export async function openStore(options: OpenStoreOptions = {}): Promise<LedgerStore> {
  const client = await openClient(options);
  try {
    await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return createLedgerStore(client, options);
}
