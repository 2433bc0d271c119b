import { resolve } from 'node:path';
import { pgliteDir } from '../../../open-configured-store.ts';
import { CliError, EXIT_STORE, loadConfig, usageError, type CliIo } from '../../command.ts';

/**
 * The embedded store's folder for `backup` and `restore`, which work on its
 * files and so only on the embedded store: on PostgreSQL the server's own
 * tools do it (docs/operations.md, "Backup and restore").
 */
export function embeddedFolder(io: CliIo, command: string): string {
  const config = loadConfig(io);
  if (config.databaseUrl !== undefined) {
    throw usageError(
      `${command} works on the embedded store; DATABASE_URL names PostgreSQL: use pg_dump/pg_restore or ` +
        'base backups with WAL archiving (docs/operations.md, "Backup and restore")',
    );
  }
  return resolve(pgliteDir(config));
}

/** A folder held by a running server (or unusable) stops the command with exit 4 and the holder's name. */
export function storeError(error: unknown): CliError {
  return new CliError(EXIT_STORE, `cannot open the store: ${(error as Error).message}`);
}
