// First: zod schemas get .openapi() only when created after @hono/zod-openapi extends zod.
import '@hono/zod-openapi';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing/test-databases.ts';
import { runCli } from '../run.ts';
import { fakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';

/** CONNECTS_POLICY_FILE at start: scheduled once if valid; an invalid file stops the start with every problem. */
const future = new Date(Date.now() + 365 * 86_400_000).toISOString();
const candidate = { ...defaultPolicy, id: 'from-file', name: 'From the file', effectiveFrom: future };

describe('connects serve with CONNECTS_POLICY_FILE (PostgreSQL)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'connects-policy-file-'));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });
  const env = (file: string) => ({
    DATABASE_URL: db.url,
    CONNECTS_ADMIN_TOKEN: 'serve-test-token-1234',
    PORT: '0',
    NODE_ENV: 'test',
    CONNECTS_POLICY_FILE: file,
  });

  it('refuses to start on an invalid file, naming every problem with its path, and stores nothing', async () => {
    const file = join(dir, 'bad.json');
    const tiers = [
      { belowBudgetCents: 9000, connects: 2 },
      { belowBudgetCents: 5000, connects: 3 },
      { belowBudgetCents: null, connects: 4 },
    ];
    await writeFile(
      file,
      JSON.stringify({
        ...candidate,
        extra: 1,
        grants: { ...candidate.grants, signup: -1 },
        rateCard: { ...candidate.rateCard, tiers },
      }),
    );
    const io = fakeIo(env(file));
    expect(await runCli(['serve'], io, commands)).toBe(2);
    const said = io.err.join('');
    expect(said).toContain('CONNECTS_POLICY_FILE');
    expect(said).toContain('grants.signup');
    expect(said).toContain('rateCard.tiers.1.belowBudgetCents');
    expect(said).toContain('extra');

    const past = join(dir, 'past.json');
    await writeFile(past, JSON.stringify({ ...candidate, effectiveFrom: '2024-01-01T00:00:00.000Z' }));
    const late = fakeIo(env(past));
    expect(await runCli(['serve'], late, commands)).toBe(2);
    expect(late.err.join('')).toContain('effectiveFrom');
  }, 30_000);

  it('schedules a valid file once; a second start leaves it as is', async () => {
    const file = join(dir, 'good.json');
    await writeFile(file, JSON.stringify([candidate]));
    for (let start = 0; start < 2; start++) {
      const io = fakeIo(env(file));
      const exit = runCli(['serve', '--json'], io, commands);
      await expect.poll(() => io.out.length, { timeout: 20_000 }).toBe(1);
      const { url } = JSON.parse(io.out.join('')) as { url: string };
      const list = await fetch(`${url}/v1/admin/policies`, {
        headers: { authorization: 'Bearer serve-test-token-1234' },
      });
      const body = (await list.json()) as {
        version: number;
        policies: { id: string; state: string; scheduledBy: string }[];
      };
      expect(body.policies.at(-1)).toMatchObject({
        id: 'from-file',
        state: 'scheduled',
        scheduledBy: 'policy-file',
      });
      expect(body.version).toBe(2);
      io.stop('SIGTERM');
      expect(await exit).toBe(0);
    }
  }, 60_000);
});
