import { join } from 'node:path';
import { redactUrl, type Config } from './config.ts';
import { createLedgerStore } from './store/ledger-store.ts';
import { migrate } from './store/migrate.ts';
import { openClient } from './store/open-store.ts';
import { createPostgresClient } from './store/postgres-client.ts';
import { createReplicaReads, type ReplicaReads } from './store/read-replica.ts';
import type { LedgerStore } from './store/store.ts';

/**
 * The store the configuration names, migrated: what `serve` and every
 * operator command open (CONNECTS_DATA_DIR or DATABASE_URL).
 */

export interface StoreOpened {
  readonly store: LedgerStore;
  /** Migrations this start applied (empty when the schema was up to date). */
  readonly applied: readonly string[];
  /** Human description: the PGlite folder or the redacted PostgreSQL URL. */
  readonly location: string;
  /** Reads that may lag, on DATABASE_READ_URL when set (closed with `store` by closeStoreOpened). */
  readonly replicaReads?: ReplicaReads;
}

export interface OpenConfiguredStoreOptions {
  /** Called once if the PostgreSQL connections turn out to go through a transaction pooler. */
  readonly onPoolerDetected?: () => void;
  /** Opens DATABASE_READ_URL too, when set (the server does; operator commands read the primary). */
  readonly readReplica?: boolean;
}

/** The PGlite folder inside the data folder, beside the generated admin token. */
export const pgliteDir = (config: Config): string => join(config.dataDir, 'pglite');

/** Opens PostgreSQL (DATABASE_URL) or the embedded store and applies pending migrations. */
export async function openConfiguredStore(
  config: Config,
  options: OpenConfiguredStoreOptions = {},
): Promise<StoreOpened> {
  if (config.databaseUrl !== undefined) return openPostgres(config, config.databaseUrl, options);
  const client = await openClient({ dataDir: pgliteDir(config) });
  let applied: string[];
  try {
    applied = await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return { store: createLedgerStore(client), applied, location: pgliteDir(config) };
}

/**
 * PostgreSQL with the configured timeouts. Migrations run first on a
 * connection of their own without the statement timeout: building an index
 * on a large table may rightly take longer than any request should.
 */
async function openPostgres(
  config: Config,
  url: string,
  options: OpenConfiguredStoreOptions,
): Promise<StoreOpened> {
  const pooler = config.databasePooler;
  const migrator = createPostgresClient({
    url,
    pooler,
    poolSize: 1,
    timeouts: { ...config.database, statementMs: 0 },
  });
  let applied: string[];
  try {
    applied = await migrate(migrator);
  } finally {
    await migrator.close();
  }
  const client = createPostgresClient({
    url,
    pooler,
    poolSize: config.databasePoolSize,
    timeouts: config.database,
    ...(options.onPoolerDetected === undefined ? {} : { onPoolerDetected: options.onPoolerDetected }),
  });
  const store = createLedgerStore(client);
  if (config.databaseReadUrl === undefined || options.readReplica !== true) {
    return { store, applied, location: redactUrl(url) };
  }
  // Same timeouts and pooler mode as the primary; nothing is written through it.
  const replicaClient = createPostgresClient({
    url: config.databaseReadUrl,
    pooler,
    timeouts: config.database,
  });
  const replicaReads = createReplicaReads({
    primary: store,
    replica: createLedgerStore(replicaClient),
    primaryClient: client,
    maxLagMs: config.readMaxLagMs,
  });
  return { store, applied, location: redactUrl(url), replicaReads };
}

/** Closes the store and the replica's pool, if any. */
export async function closeStoreOpened(opened: StoreOpened): Promise<void> {
  await opened.replicaReads?.close();
  await opened.store.close();
}
