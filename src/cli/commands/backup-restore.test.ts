// Before any use case's schemas exist (see commands/index.ts).
import '@hono/zod-openapi';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFreelancer } from '../../app/accounts/register-freelancer.ts';
import { createPgliteClient } from '../../store/pglite-client.ts';
import { runCli } from '../run.ts';
import { fakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';
import { pgliteCliStore, type CliTestStore } from './support/cli-test-stores.ts';

const T0 = Date.UTC(2026, 0, 10, 9);

describe('connects backup and restore (embedded store)', () => {
  let source: CliTestStore;
  let dir: string;
  const cli = async (env: Record<string, string>, args: string[]) => {
    const io = fakeIo(env, dir);
    const code = await runCli(args, io, commands);
    return { code, out: io.out.join(''), err: io.err.join('') };
  };
  const balances = async (env: Record<string, string>) => {
    const all: unknown[] = [];
    for (const id of ['fl-1', 'fl-2', 'fl-3']) {
      const shown = await cli(env, ['balance', id, '--json']);
      expect(shown.code).toBe(0);
      const { at: _at, ...rest } = JSON.parse(shown.out) as Record<string, unknown>;
      all.push(rest);
    }
    return all;
  };

  beforeAll(async () => {
    source = await pgliteCliStore();
    dir = await mkdtemp(join(tmpdir(), 'connects-backup-'));
    await source.seed(async (ctx) => {
      for (const id of ['fl-1', 'fl-2', 'fl-3']) {
        const done = await registerFreelancer(ctx, { id, registeredAt: T0 }, T0);
        if (!done.ok) throw new Error(done.error.message);
      }
      const spent = await ctx.store.execute({
        account: 'fl-2',
        op: { kind: 'debit', amount: 7 },
        now: T0 + 1,
      });
      if (!spent.ok) throw new Error(spent.error.message);
    });
  });
  afterAll(async () => {
    await source?.cleanup();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('backs up to an owner-only file, restores into a new folder that verifies, with the same balances', async () => {
    const file = join(dir, 'connects.tar.gz');
    const backup = await cli(source.env, ['backup', 'connects.tar.gz', '--json']);
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.out)).toMatchObject({ file, bytes: expect.any(Number) });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);

    const target = { CONNECTS_DATA_DIR: join(dir, 'restored'), NODE_ENV: 'test' };
    const restored = await cli(target, ['restore', file, '--json']);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.out)).toMatchObject({ verify: { accounts: 3, discrepancyCount: 0 } });
    expect((await cli(target, ['verify'])).code).toBe(0);
    expect(await balances(target)).toEqual(await balances(source.env));
    expect((await balances(target))[1]).toMatchObject({ balance: 43 });

    const again = await cli(target, ['restore', file]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already holds a store: add --force');
    const forced = await cli(target, ['restore', file, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('Verified 3 accounts');
  });

  it('refuses a folder a server holds (exit 4) and PostgreSQL (exit 2)', async () => {
    const held = await createPgliteClient(join(source.env.CONNECTS_DATA_DIR as string, 'pglite'));
    try {
      const backup = await cli(source.env, ['backup', 'held.tar.gz']);
      expect(backup.code).toBe(4);
      expect(backup.err).toContain('is in use by');
      const verify = await cli(source.env, ['verify']);
      expect(verify.code).toBe(4);
      const restore = await cli(source.env, ['restore', 'connects.tar.gz', '--force']);
      expect(restore.code).toBe(4);
    } finally {
      await held.close();
    }
    const onPostgres = await cli(
      {
        DATABASE_URL: 'postgres://127.0.0.1:1/none',
        CONNECTS_ADMIN_TOKEN: 'cli-test-admin-token-42',
        NODE_ENV: 'test',
      },
      ['backup', 'x.tar.gz'],
    );
    expect(onPostgres.code).toBe(2);
    expect(onPostgres.err).toContain('pg_dump');
  });
});
