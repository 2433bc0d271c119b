import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../store/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing/test-databases.ts';
import { runCli } from '../run.ts';
import { fakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';

describe('connects migrate on PostgreSQL', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    env = { DATABASE_URL: db.url, CONNECTS_ADMIN_TOKEN: 'migrate-test-token-123', NODE_ENV: 'test' };
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies every migration once and says which', async () => {
    const names = (await loadMigrations()).map((m) => m.name);
    const first = fakeIo(env);
    expect(await runCli(['migrate'], first, commands)).toBe(0);
    const text = first.out.join('');
    expect(text).toContain(`Applied ${names.length} migration(s) to postgres://`);
    for (const name of names) expect(text).toContain(`  ${name}\n`);

    const again = fakeIo(env);
    expect(await runCli(['migrate', '--json'], again, commands)).toBe(0);
    expect(JSON.parse(again.out.join(''))).toEqual({
      store: expect.stringContaining('postgres://'),
      applied: [],
    });
  });

  it('says the database is up to date in plain text', async () => {
    const io = fakeIo(env);
    expect(await runCli(['migrate'], io, commands)).toBe(0);
    expect(io.out.join('')).toMatch(/^The database is up to date \(postgres:\/\/.*\)\.\n$/);
  });

  it('stops with exit 2 on a bad configuration and 4 on an unreachable database', async () => {
    const bad = fakeIo({ DATABASE_URL: db.url });
    expect(await runCli(['migrate'], bad, commands)).toBe(2);
    expect(bad.err.join('')).toContain('CONNECTS_ADMIN_TOKEN is required when DATABASE_URL is set');

    const down = fakeIo({ ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(await runCli(['migrate'], down, commands)).toBe(4);
    expect(down.err.join('')).toContain('cannot open the store');
  });
});
