/** The ledger store's public surface: open it, use the LedgerStore port, add migrations. */
export { openStore, openClient, DEFAULT_DATA_DIR, type OpenStoreOptions } from './open-store.ts';
export { createLedgerStore, type StoreOptions } from './ledger-store.ts';
export { migrate, loadMigrations, migrationsDir, type Migration, type MigrateOptions } from './migrate.ts';
export { createPostgresClient, type PostgresOptions } from './postgres-client.ts';
export { createPgliteClient, type PgliteClient, type PgliteOptions } from './pglite-client.ts';
export { requestHash } from './request-hash.ts';
export { MAX_IDEMPOTENCY_KEY_LENGTH } from './check-command.ts';
export { MAX_SWEEP_ACCOUNTS } from './sweep.ts';
export type { SqlClient, SqlQueryable, SqlRows, SqlSession, SqlTx, SqlValue } from './sql-client.ts';
export {
  MAX_ENTRIES_PAGE,
  type EntryPage,
  type EntryQuery,
  type ExecuteCommand,
  type ExecuteResult,
  type LedgerStore,
  type StoreTx,
  type SweepReport,
} from './store.ts';
