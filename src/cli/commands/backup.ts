import { open, rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createPgliteClient } from '../../store/pglite-client.ts';
import { defineCommand, usageError } from '../command.ts';
import { printJson } from '../output.ts';
import { embeddedFolder, storeError } from './support/embedded-folder.ts';

/** Writes FILE.partial (owner-only), flushes it to disk and renames it: FILE is never half a backup. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w', 0o600).catch((error: unknown) => {
    throw usageError(`cannot write ${path}: ${(error as Error).message}`);
  });
  try {
    // The mode above applies only to a new file; a partial left by an earlier run is tightened too.
    await handle.chmod(0o600);
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, path);
}

export const backupCommand = defineCommand({
  name: 'backup',
  summary: 'Write the embedded store to one file (a gzipped tar of its data folder).',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  details: [
    'Takes the embedded data folder (CONNECTS_DATA_DIR/pglite) as the database sees it and writes it to',
    'FILE, readable by its owner only. The file appears under its name only once complete (written as',
    'FILE.partial, flushed, then renamed). The folder must not be held by a running server: stop it',
    'first (exit 4 names the holder). PostgreSQL (DATABASE_URL) is backed up with its own tools:',
    'docs/operations.md, "Backup and restore".',
    '',
    'Exit codes: 0 written, 2 usage (PostgreSQL configured, file not writable), 4 the store cannot be',
    'opened (a server holds it).',
    '',
    'Examples:',
    '  connects backup backups/connects-2026-03-01.tar.gz',
  ].join('\n'),
  options: {},
  async run({ io, json, positionals }) {
    const file = resolve(io.cwd, positionals[0] as string);
    const folder = embeddedFolder(io, 'backup');
    const present = await stat(folder).catch(() => undefined);
    if (present === undefined) throw usageError(`there is no embedded store in ${folder} to back up`);
    const started = performance.now();
    const client = await createPgliteClient(folder, { checkpointCheckMs: 0 }).catch((error: unknown) => {
      throw storeError(error);
    });
    let dump: Blob;
    try {
      // Everything written so far goes into the data files first: the dump is the files as they are.
      await client.script('CHECKPOINT');
      dump = await client.dump();
    } finally {
      await client.close();
    }
    await writeAtomically(file, new Uint8Array(await dump.arrayBuffer()));
    const seconds = Number(((performance.now() - started) / 1000).toFixed(3));
    if (json) printJson(io, { file, folder, bytes: dump.size, seconds });
    else io.stdout(`Backed up ${folder} to ${file} (${dump.size} bytes) in ${seconds} s\n`);
  },
});
