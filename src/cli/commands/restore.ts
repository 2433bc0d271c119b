import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { acquireFolderLock } from '../../store/folder-lock.ts';
import { createPgliteClient } from '../../store/pglite-client.ts';
import { verifyLedger, type VerifyReport } from '../../store/verify-ledger.ts';
import { CliError, defineCommand, EXIT_BUSINESS, usageError } from '../command.ts';
import { counted, printJson } from '../output.ts';
import { embeddedFolder, storeError } from './support/embedded-folder.ts';
import { withApp } from './support/open-app.ts';

const isEmpty = async (folder: string): Promise<boolean> =>
  (await readdir(folder).catch(() => [])).length === 0;

/**
 * Loads the backup into FOLDER.restoring, then swaps it in: the store's folder
 * is at every moment either the old store or the whole restored one.
 */
async function loadInto(folder: string, backup: Blob, force: boolean): Promise<void> {
  const partial = `${folder}.restoring`;
  await rm(partial, { recursive: true, force: true });
  const client = await createPgliteClient(partial, { loadDataDir: backup, checkpointCheckMs: 0 });
  try {
    await client.query('SELECT 1');
  } finally {
    await client.close();
  }
  if (force && !(await isEmpty(folder))) {
    const replaced = `${folder}.replaced`;
    await rm(replaced, { recursive: true, force: true });
    await rename(folder, replaced);
    await rename(partial, folder);
    await rm(replaced, { recursive: true, force: true });
  } else {
    await rm(folder, { recursive: true, force: true });
    await rename(partial, folder);
  }
}

export const restoreCommand = defineCommand({
  name: 'restore',
  summary: 'Restore the embedded store from a file written by `connects backup`, then verify it.',
  args: '<file>',
  positionals: { min: 1, max: 1 },
  details: [
    'Loads FILE into the embedded data folder (CONNECTS_DATA_DIR/pglite) and runs `connects verify` on',
    'the result. A folder that already holds a store is refused unless --force, which replaces it',
    '(the restored store is built beside it and swapped in, so an interrupted restore leaves the old',
    'one). A folder held by a running server is refused (exit 4). PostgreSQL (DATABASE_URL) is',
    'restored with its own tools: docs/operations.md, "Backup and restore".',
    '',
    'Exit codes: 0 restored and verified, 1 the folder is not empty (without --force) or the restored',
    'store has discrepancies, 2 usage (unreadable file, PostgreSQL configured), 4 the store cannot be',
    'opened.',
    '',
    'Examples:',
    '  CONNECTS_DATA_DIR=/srv/connects-new connects restore backups/connects-2026-03-01.tar.gz',
    '  connects restore backups/connects-2026-03-01.tar.gz --force',
  ].join('\n'),
  options: {
    force: { type: 'boolean', description: 'Replace a store already in the folder.' },
  },
  async run({ io, json, values, positionals }) {
    const file = resolve(io.cwd, positionals[0] as string);
    const folder = embeddedFolder(io, 'restore');
    const bytes = await readFile(file).catch((error: unknown) => {
      throw usageError(`cannot read ${file}: ${(error as Error).message}`);
    });
    // The lock file sits beside the folder: a new data folder needs its parent first.
    await mkdir(dirname(folder), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw storeError(error);
    });
    let lock;
    try {
      lock = acquireFolderLock(folder);
    } catch (error) {
      throw storeError(error);
    }
    try {
      if (values.force !== true && !(await isEmpty(folder))) {
        throw new CliError(EXIT_BUSINESS, `${folder} already holds a store: add --force to replace it`);
      }
      await loadInto(folder, new Blob([bytes]), values.force === true);
    } finally {
      lock.release();
    }
    const report: VerifyReport = await withApp(io, ({ store }) => verifyLedger(store));
    if (json) printJson(io, { file, folder, verify: report });
    else {
      io.stdout(`Restored ${file} into ${folder}\n`);
      io.stdout(
        report.discrepancyCount === 0
          ? `Verified ${counted(report.accounts, 'account')} and ${counted(report.entries, 'entry', 'entries')}: no discrepancies.\n`
          : `Verify found ${report.discrepancyCount} discrepancies: run \`connects verify\` for the list.\n`,
      );
    }
    return report.discrepancyCount === 0 ? undefined : EXIT_BUSINESS;
  },
});
