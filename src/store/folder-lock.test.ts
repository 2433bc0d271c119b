import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFolderLock, StoreLockedError } from './folder-lock.ts';

/** A pid that certainly belonged to a process and is now free: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the embedded folder lock', () => {
  let dir: string;
  let folder: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connects-lock-'));
    folder = join(dir, 'pglite');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is held once: a second opener in this process is refused until release', async () => {
    const lock = acquireFolderLock(folder);
    expect(lock.file).toBe(`${folder}.lock`);
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    expect((await stat(lock.file)).mode & 0o777).toBe(0o600);
    expect(() => acquireFolderLock(folder)).toThrow(/is in use by this process since/);
    lock.release();
    lock.release();
    await expect(stat(lock.file)).rejects.toMatchObject({ code: 'ENOENT' });
    acquireFolderLock(folder).release();
  });

  it('takes over a lock whose process is gone, or a previous process that had this pid', async () => {
    const lockFile = `${folder}.lock`;
    const pid = deadPid();
    await writeFile(
      lockFile,
      JSON.stringify({ pid, host: hostname(), since: 'x', startTicks: null, token: 'a' }),
    );
    const lock = acquireFolderLock(folder);
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();

    await writeFile(
      lockFile,
      JSON.stringify({ pid: process.pid, host: hostname(), since: 'x', startTicks: null, token: 'old' }),
    );
    acquireFolderLock(folder).release();
  });

  it('refuses a holder on another host, and a lock file naming no holder', async () => {
    const lockFile = `${folder}.lock`;
    const since = '2026-01-01T00:00:00.000Z';
    await writeFile(
      lockFile,
      JSON.stringify({ pid: 1, host: 'elsewhere', since, startTicks: null, token: 't' }),
    );
    let refused: unknown;
    try {
      acquireFolderLock(folder);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(StoreLockedError);
    expect((refused as StoreLockedError).holder).toEqual({ pid: 1, host: 'elsewhere', since });
    expect((refused as Error).message).toBe(
      `the embedded store ${folder} is in use by process 1 on elsewhere since ${since} (lock ${lockFile}); ` +
        `if elsewhere no longer runs it, delete ${lockFile}`,
    );

    await writeFile(lockFile, '');
    expect(() => acquireFolderLock(folder)).toThrow(
      /names no holder; delete it if no process uses the folder/,
    );
  });

  it('refuses a live holder on this host', async () => {
    // This test's parent process is alive and is not this process.
    await writeFile(
      `${folder}.lock`,
      JSON.stringify({ pid: process.ppid, host: hostname(), since: 's', startTicks: null, token: 't' }),
    );
    expect(() => acquireFolderLock(folder)).toThrow(
      new RegExp(`in use by process ${process.ppid} on ${hostname()} since s .*stop it first`),
    );
  });
});
