// Before any use case's schemas exist (see commands/index.ts): the HTTP routes call `.openapi()` on them.
import '@hono/zod-openapi';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../app/operators/audit.ts';
import { runCli } from '../run.ts';
import { fakeIo, type FakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';
import { pgliteCliStore, postgresCliStore, type CliTestStore } from './support/cli-test-stores.ts';

/** connects operators add | list | revoke and connects audit, on both engines. */
describe.each([
  ['pglite', pgliteCliStore],
  ['postgres', postgresCliStore],
] as const)('operator and audit commands on %s', (_name, open) => {
  let store: CliTestStore;
  let dir: string;
  const cli = async (args: string[]): Promise<FakeIo & { code: number }> => {
    const io = fakeIo(store.env, dir);
    const code = await runCli(args, io, commands);
    return Object.assign(io, { code });
  };
  const out = (io: FakeIo) => io.out.join('');

  beforeAll(async () => {
    store = await open();
    dir = await mkdtemp(join(tmpdir(), 'connects-cli-'));
  });
  afterAll(async () => {
    await store?.cleanup();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  // The first command on a fresh embedded folder creates and migrates it: slow on a busy machine.
  it('adds an operator with a key shown once, lists it without the secret, and revokes the key', async () => {
    const added = await cli(['operators', 'add', 'sam', '--role', 'support', '--json']);
    expect(added.code).toBe(0);
    const issued = JSON.parse(out(added)) as { id: string; role: string; key: string; keyId: string };
    expect(issued).toMatchObject({ id: 'sam', role: 'support', expiresAt: null });
    expect(issued.key).toMatch(/^cop_/);

    const listed = await cli(['operators', 'list']);
    expect(listed.code).toBe(0);
    expect(out(listed)).toMatch(/sam +support +key_\S+ .* never +active/);
    expect(out(listed)).not.toContain(issued.key);

    const revoked = await cli(['operators', 'revoke', 'sam', issued.keyId]);
    expect(revoked.code).toBe(0);
    const json = JSON.parse(out(await cli(['operators', 'list', '--json']))) as {
      operators: { id: string; createdBy: string; keys: { revokedAt: string | null }[] }[];
    };
    expect(json.operators[0]?.createdBy).toBe('admin');
    expect(json.operators[0]?.keys[0]?.revokedAt).not.toBeNull();
  }, 180_000);

  it('refuses a bad role, an existing id and an unknown key', async () => {
    expect((await cli(['operators', 'add', 'x', '--role', 'janitor'])).code).toBe(2);
    expect((await cli(['operators', 'add', 'x'])).code).toBe(2);
    expect((await cli(['operators', 'add', 'a b', '--role', 'owner'])).code).toBe(2);
    await cli(['operators', 'add', 'dup', '--role', 'finance']);
    const again = await cli(['operators', 'add', 'dup', '--role', 'finance']);
    expect(again.code).toBe(1);
    expect(again.err.join('')).toContain('operator_exists');
    expect((await cli(['operators', 'revoke', 'dup', 'key_none'])).code).toBe(1);
  }, 180_000);

  it('prints the audit trail, filtered, as a table or JSON', async () => {
    await store.seed(async (ctx) => {
      for (const [i, actor] of ['sam', 'fin', 'sam'].entries()) {
        await recordAudit(ctx.store, {
          at: Date.UTC(2026, 11, 1 + i),
          actor,
          actorRole: actor === 'sam' ? 'support' : 'finance',
          requestId: `req-${i}`,
          method: 'POST',
          route: '/v1/admin/grants',
          path: '/v1/admin/grants',
          freelancerId: 'ada',
          status: i === 2 ? 403 : 201,
          errorCode: i === 2 ? 'limit_exceeded' : null,
          entries: i === 2 ? [] : [{ account: 'ada', seq: 3 + i }],
        });
      }
    });
    const table = await cli(['audit', '--actor', 'sam']);
    expect(table.code).toBe(0);
    expect(out(table)).toContain('403 limit_exceeded');
    expect(out(table)).toContain('ada#3');
    expect(out(table)).not.toContain('fin (finance)');
    const page = JSON.parse(out(await cli(['audit', '--since', '2026-12-02', '--json']))) as {
      rows: { requestId: string }[];
    };
    expect(page.rows.map((r) => r.requestId)).toEqual(['req-2', 'req-1']);
    expect((await cli(['audit', '--since', 'yesterday'])).code).toBe(2);
  }, 180_000);
});
