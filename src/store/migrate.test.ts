import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, migrationsDir } from './migrate.ts';
import { createPostgresClient } from './postgres-client.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-databases.ts';

describe('migrations', () => {
  let db: TestDatabase;
  let extra: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    extra = await mkdtemp(join(tmpdir(), 'connects-migrations-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(extra, { recursive: true, force: true });
  });

  it('orders files by number and starts with the ledger', async () => {
    const migrations = await loadMigrations();
    expect(migrations[0]?.name).toBe('001_ledger.sql');
    const numbers = migrations.map((m) => m.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('applies each file once even when two processes migrate at the same moment', async () => {
    const clients = [createPostgresClient({ url: db.url }), createPostgresClient({ url: db.url })];
    try {
      const runs = await Promise.all(clients.map((client) => migrate(client)));
      const all = await loadMigrations();
      expect([...(runs[0] ?? []), ...(runs[1] ?? [])].sort()).toEqual(all.map((m) => m.name).sort());
      const recorded = await clients[0]?.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM schema_migrations',
      );
      expect(recorded?.rows[0]?.n).toBe(all.length);
    } finally {
      for (const client of clients) await client.close();
    }
  });

  it('picks up a new file in another folder and refuses an edited one', async () => {
    const client = createPostgresClient({ url: db.url });
    try {
      const file = join(extra, '900_extra_table.sql');
      await writeFile(file, 'CREATE TABLE extra_rows (account text, n int, PRIMARY KEY (account, n));');
      expect(await migrate(client, { dirs: [migrationsDir, extra] })).toEqual(['900_extra_table.sql']);
      expect(await migrate(client, { dirs: [migrationsDir, extra] })).toEqual([]);
      await writeFile(file, 'CREATE TABLE extra_rows (account text);');
      await expect(migrate(client, { dirs: [migrationsDir, extra] })).rejects.toThrow(
        /edited after it was applied/,
      );
    } finally {
      await client.close();
    }
  });

  it('keeps history append-only', async () => {
    const client = createPostgresClient({ url: db.url });
    try {
      await expect(client.query('UPDATE entries SET amount = 0')).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM entries')).rejects.toThrow(/append-only/);
    } finally {
      await client.close();
    }
  });
});
