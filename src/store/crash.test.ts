import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { openStore } from './open-store.ts';
import { createPgliteClient } from './pglite-client.ts';
import type { SqlQueryable } from './sql-client.ts';
import type { LedgerStore } from './store.ts';
import { checkInvariants } from './testing/check-invariants.ts';
import { crashCommand } from './testing/crash-ops.ts';
import { openMigratedPglite } from './testing/pglite-template.ts';
import { spawnWorker } from './testing/spawn-worker.ts';
import { createTestDatabase, type TestDatabase } from './testing/test-databases.ts';

/** Kill cycles per engine; PGlite reopens its folder each time, so it gets fewer. */
const CYCLES = { postgres: 3, pglite: 2 } as const;

interface Target {
  readonly args: { url: string } | { dataDir: string };
  cleanup(): Promise<void>;
}

/** A database the child processes write to: a fresh PostgreSQL database or a PGlite data folder. */
async function prepare(engine: 'postgres' | 'pglite'): Promise<Target> {
  if (engine === 'postgres') {
    const db: TestDatabase = await createTestDatabase();
    return { args: { url: db.url }, cleanup: () => db.drop() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'connects-crash-'));
  // Seed the folder from the migrated template instead of a slow initdb.
  const template = await openMigratedPglite();
  const seeded = await createPgliteClient(dir, { loadDataDir: await template.dump() });
  await migrate(seeded);
  await seeded.close();
  await template.close();
  return { args: { dataDir: dir }, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one writer and kills it with SIGKILL once it has acknowledged a random number of commands. */
async function crashOnce(target: Target, cycle: number) {
  const worker = spawnWorker({
    ...target.args,
    mode: 'crash',
    prefix: `c${cycle}`,
    count: 1_000_000,
    concurrency: 16,
  });
  const threshold = 10 + Math.floor(Math.random() * 100);
  let exited = false;
  void worker.exited.then(() => (exited = true));
  for (let waited = 0; worker.acked.size < threshold && !exited && waited < 30_000; waited += 5)
    await sleep(5);
  await sleep(Math.random() * 20);
  worker.child.kill('SIGKILL');
  const exit = await worker.exited;
  expect(exit.code === null || exit.code !== 0 ? 'killed' : exit.stderr).toBe('killed');
  return worker;
}

/** Every key's stored result names exactly the entries that carry the key: full effect or none. */
async function keysMatchEntries(db: Pick<SqlQueryable, 'query'>): Promise<string[]> {
  const rows = await db.query<{ key: string }>(
    `SELECT i.key FROM idempotency i
     WHERE coalesce((i.result->>'lastSeq')::int8 - (i.result->>'firstSeq')::int8 + 1, 0) <>
       (SELECT count(*) FROM entries e WHERE e.account = i.scope AND e.idempotency_key = i.key
          AND e.seq BETWEEN (i.result->>'firstSeq')::int8 AND (i.result->>'lastSeq')::int8)
       OR EXISTS (SELECT 1 FROM entries e WHERE e.account = i.scope AND e.idempotency_key = i.key
          AND NOT e.seq BETWEEN (i.result->>'firstSeq')::int8 AND (i.result->>'lastSeq')::int8)`,
  );
  return rows.rows.map((row) => row.key);
}

describe.each(['postgres', 'pglite'] as const)('crash safety on %s', (engine) => {
  let target: Target;
  beforeAll(async () => {
    target = await prepare(engine);
  });
  afterAll(async () => {
    await target.cleanup();
  });

  it('keeps every acknowledged write and no half-applied one across SIGKILLs', async () => {
    const ackedOk = new Set<string>();
    const ackedFailed = new Set<string>();
    const unacknowledged: string[] = [];
    for (let cycle = 0; cycle < CYCLES[engine]; cycle++) {
      const worker = await crashOnce(target, cycle);
      expect(worker.acked.size).toBeGreaterThan(0);
      for (const [id, outcome] of worker.acked) (outcome.ok ? ackedOk : ackedFailed).add(id);
      unacknowledged.push(...worker.sent.filter((id) => !worker.acked.has(id)));
    }
    const store: LedgerStore = await openStore(target.args);
    try {
      const keys = new Set(
        (await store.query<{ key: string }>('SELECT key FROM idempotency')).rows.map((r) => r.key),
      );
      expect([...ackedOk].filter((id) => !keys.has(id))).toEqual([]);
      expect([...ackedFailed].filter((id) => keys.has(id))).toEqual([]);
      expect(await checkInvariants(store)).toEqual([]);
      expect(await keysMatchEntries(store)).toEqual([]);
      // A client retrying what was in flight at the crash finds the whole effect or none of it.
      const retried = await store.executeMany(unacknowledged.map(crashCommand));
      expect(retried.every((r) => r.ok || r.error.code !== 'idempotency_conflict')).toBe(true);
      expect(await checkInvariants(store)).toEqual([]);
      expect(await keysMatchEntries(store)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
