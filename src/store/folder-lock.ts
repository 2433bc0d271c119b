import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * One process per embedded data folder. PGlite keeps the database in the
 * memory of the process that opened it and writes pages back on its own
 * schedule, so two processes on one folder overwrite each other's pages:
 * each sees only its own writes and acknowledged writes are lost. The lock
 * is a file beside the folder (`<folder>.lock`, outside it so that a dump of
 * the folder never carries it) naming its holder.
 *
 * A lock whose holder is gone (a killed process) is stale and is taken
 * over; a holder on another host cannot be checked from here and is
 * refused, with the file to delete once that host is known not to run it.
 */

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** When the holder took the lock (ISO-8601). */
  readonly since: string;
  /** The holder's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it. */
  readonly startTicks: string | null;
  /** Tells this process's own locks from a previous process that had the same pid. */
  readonly token: string;
}

/** Refused because another process (or this one) holds the folder. */
export class StoreLockedError extends Error {
  readonly code = 'store_locked';
  constructor(
    message: string,
    readonly lockFile: string,
    readonly holder: { readonly pid: number; readonly host: string; readonly since: string } | undefined,
  ) {
    super(message);
    this.name = 'StoreLockedError';
  }
}

export interface FolderLock {
  readonly file: string;
  /** Removes the lock file if it is still this holder's. Idempotent. */
  release(): void;
}

/** Locks this process holds, by lock file, released on exit even without close(). */
const held = new Map<string, string>();
const heldTokens = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [file, token] of held) removeIfOwned(file, token);
  });
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised name, which may contain spaces). */
function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string' || typeof owner.token !== 'string')
      return 'unreadable';
    return {
      pid: owner.pid,
      host: owner.host,
      since: typeof owner.since === 'string' ? owner.since : 'an unknown time',
      startTicks: typeof owner.startTicks === 'string' ? owner.startTicks : null,
      token: owner.token,
    };
  } catch {
    return 'unreadable';
  }
}

/** Whether the recorded holder is certainly gone. A holder on another host is never judged stale. */
function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  // Our own pid: a lock of this process is live; any other is from a previous process that had this pid.
  if (owner.pid === process.pid) return !heldTokens.has(owner.token);
  if (!pidAlive(owner.pid)) return true;
  const ticks = startTicks(owner.pid);
  return owner.startTicks !== null && ticks !== null && ticks !== owner.startTicks;
}

/** Creates `file` holding `text` only if it does not exist, atomically (link never replaces). */
function createExclusive(file: string, text: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function removeIfOwned(file: string, token: string): void {
  try {
    const owner = readOwner(file);
    if (typeof owner === 'object' && owner.token === token) unlinkSync(file);
  } catch {
    // Best effort: a lock left behind is stale and the next opener takes it over.
  }
}

function describeHolder(file: string, folder: string, owner: LockOwner): string {
  const who =
    owner.pid === process.pid && owner.host === hostname()
      ? 'this process'
      : `process ${owner.pid} on ${owner.host}`;
  const remedy =
    owner.host === hostname()
      ? 'stop it first, or use the running server'
      : `if ${owner.host} no longer runs it, delete ${file}`;
  return `the embedded store ${folder} is in use by ${who} since ${owner.since} (lock ${file}); ${remedy}`;
}

/**
 * Takes a stale lock over. Takers serialise on a guard file so that two of
 * them never both delete and recreate; the guard is held for microseconds,
 * and a guard left by a killed taker is itself stale.
 */
function takeOver(file: string, stale: LockOwner, text: string): boolean {
  const guard = `${file}.takeover`;
  if (!createExclusive(guard, text)) {
    const guardOwner = readOwner(guard);
    if (typeof guardOwner === 'object' && isStale(guardOwner)) unlinkSync(guard);
    return false;
  }
  try {
    const now = readOwner(file);
    if (typeof now === 'object' && now.token !== stale.token) return false;
    if (now !== 'missing') unlinkSync(file);
    return createExclusive(file, text);
  } finally {
    unlinkSync(guard);
  }
}

/** Takes the lock of `folder`, or throws StoreLockedError naming the holder. */
export function acquireFolderLock(folder: string): FolderLock {
  const file = `${folder}.lock`;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    startTicks: startTicks(process.pid),
    token: randomBytes(12).toString('hex'),
  };
  const text = `${JSON.stringify(owner)}\n`;
  // A few rounds cover a racing taker or a lock released while we looked; more would hide a bug.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(file, text)) return hold(file, owner.token);
    const current = readOwner(file);
    if (current === 'missing') continue;
    if (current === 'unreadable') {
      throw new StoreLockedError(
        `the embedded store ${folder} has a lock file ${file} that names no holder; delete it if no process uses the folder`,
        file,
        undefined,
      );
    }
    if (!isStale(current)) {
      throw new StoreLockedError(describeHolder(file, folder, current), file, {
        pid: current.pid,
        host: current.host,
        since: current.since,
      });
    }
    if (takeOver(file, current, text)) return hold(file, owner.token);
  }
  throw new StoreLockedError(
    `could not take the lock ${file}: other processes keep taking it`,
    file,
    undefined,
  );
}

function hold(file: string, token: string): FolderLock {
  installExitHook();
  held.set(file, token);
  heldTokens.add(token);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      held.delete(file);
      heldTokens.delete(token);
      removeIfOwned(file, token);
    },
  };
}
