import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteClient } from './pglite-client.ts';
import { openMigratedPglite } from './testing/pglite-template.ts';

/**
 * A crash restart replays the WAL written since the last checkpoint, and
 * PGlite has no checkpointer of its own: the client checkpoints once enough
 * WAL has piled up, so the replay stays short however long the store ran.
 */
describe('embedded store checkpoints', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connects-checkpoint-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the WAL since the last checkpoint under the threshold while writes go on', async () => {
    const template = await openMigratedPglite();
    const dump = await template.dump();
    await template.close();
    const folder = join(dir, 'pglite');
    const walBytes = 2 * 1024 * 1024;
    const client = await createPgliteClient(folder, {
      loadDataDir: dump,
      checkpointCheckMs: 100,
      checkpointWalBytes: walBytes,
    });
    const behind = async () =>
      (
        await client.query<{ bytes: number }>(
          'SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()',
        )
      ).rows[0]?.bytes ?? 0;
    try {
      await client.script('CREATE TABLE filler (v text)');
      // About 10 MB of WAL in one go, far past the threshold.
      await client.script(`INSERT INTO filler SELECT repeat('x', 200) FROM generate_series(1, 40000)`);
      expect(await behind()).toBeGreaterThan(4 * walBytes);
      await expect.poll(behind, { timeout: 5_000, interval: 50 }).toBeLessThan(walBytes);
    } finally {
      await client.close();
    }
  });
});
