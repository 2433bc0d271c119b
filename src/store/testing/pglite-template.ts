import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, migrate } from '../migrate.ts';
import { createPgliteClient, type PgliteClient } from '../pglite-client.ts';

/**
 * A fresh PGlite runs initdb, which takes several seconds. Tests instead
 * start from a migrated data folder dumped once into the temp folder (keyed
 * by the migrations' checksums, so a new migration makes a new template)
 * and loaded in about a second.
 */
const PREFIX = 'connects-pglite-template-';

/** Templates of older migration sets are dead weight; remove them when a new one is written. */
async function removeStaleTemplates(keep: string): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    const path = join(tmpdir(), name);
    if (name.startsWith(PREFIX) && name.endsWith('.tar.gz') && path !== keep) await rm(path, { force: true });
  }
}

async function templatePath(): Promise<string> {
  const migrations = await loadMigrations();
  const hash = createHash('sha256');
  for (const m of migrations) hash.update(m.name).update(m.checksum);
  return join(tmpdir(), `${PREFIX}${hash.digest('hex').slice(0, 16)}.tar.gz`);
}

async function readTemplate(path: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(path)]);
  } catch {
    return undefined;
  }
}

/** An in-memory PGlite with every migration applied. */
export async function openMigratedPglite(): Promise<PgliteClient> {
  const path = await templatePath();
  const template = await readTemplate(path);
  if (template !== undefined) {
    const client = await createPgliteClient('memory://', { loadDataDir: template });
    await migrate(client);
    return client;
  }
  const client = await createPgliteClient('memory://');
  await migrate(client);
  const dump = await client.dump();
  // Write then rename, so a parallel test file never reads half a template.
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, path);
  await removeStaleTemplates(path);
  return client;
}
