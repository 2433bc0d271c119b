import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlClient } from './sql-client.ts';

/**
 * Forward-only numbered migrations. Every module that needs tables drops a
 * file named `NNN_what.sql` into src/store/migrations/; the folder is read at
 * start-up, so new files need no registration. Files apply in order of their
 * number (then name), each exactly once, recorded in schema_migrations.
 */
export const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

const fileName = /^(\d+)_[a-z0-9_-]+\.sql$/;

/** Arbitrary constant: every process migrating the same database takes this advisory lock. */
const MIGRATION_LOCK_KEY = 4_120_611;

export interface Migration {
  readonly name: string;
  readonly number: number;
  readonly sql: string;
  readonly checksum: string;
}

export async function loadMigrations(dirs: readonly string[] = [migrationsDir]): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const dir of dirs) {
    for (const name of await readdir(dir)) {
      const match = fileName.exec(name);
      if (match === null) continue;
      const sql = await readFile(join(dir, name), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      migrations.push({ name, number: Number(match[1]), sql, checksum });
    }
  }
  const names = new Set(migrations.map((m) => m.name));
  if (names.size !== migrations.length) throw new Error('two migration files share a name');
  return migrations.sort((a, b) => a.number - b.number || (a.name < b.name ? -1 : 1));
}

export interface MigrateOptions {
  /** Folders to read; defaults to src/store/migrations. */
  readonly dirs?: readonly string[];
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so
 * two processes starting at once neither race nor apply a file twice: the
 * second waits, then finds everything applied. Refuses to run if a file that
 * was already applied has since been edited (migrations are forward-only).
 * Returns the names it applied.
 */
export async function migrate(client: SqlClient, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = await loadMigrations(options.dirs);
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.script(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = await tx.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations',
    );
    const applied = new Map(done.rows.map((row) => [row.name, row.checksum]));
    const ran: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was edited after it was applied; add a new file instead`,
          );
        }
        continue;
      }
      await tx.script(migration.sql);
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        migration.name,
        migration.checksum,
      ]);
      ran.push(migration.name);
    }
    return ran;
  });
}
