import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { acquireFolderLock, type FolderLock } from './folder-lock.ts';
import {
  parseInt8,
  type SqlClient,
  type SqlQueryable,
  type SqlRows,
  type SqlSession,
  type SqlValue,
} from './sql-client.ts';

/**
 * A promise chain used as a mutex. PGlite has one connection; a statement
 * issued outside a transaction while another caller's transaction is open
 * would run inside it, so every statement and transaction takes turns here.
 */
class Turns {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function queryable(db: Pick<PGlite, 'query' | 'exec'>): SqlQueryable {
  return {
    async query<R>(sql: string, params: readonly SqlValue[] = []): Promise<SqlRows<R>> {
      const result = await db.query<R>(sql, params as unknown[]);
      return { rows: result.rows };
    },
    async script(sql: string) {
      const results = await db.exec(sql);
      return results.map((r) => ({ rows: r.rows as Record<string, unknown>[] }));
    },
  };
}

export interface PgliteOptions {
  /** A data folder dumped earlier (tar), to start from instead of running initdb (fast test databases). */
  readonly loadDataDir?: Blob;
  /** How often the WAL written since the last checkpoint is looked at (default 10 s; 0: never). */
  readonly checkpointCheckMs?: number;
  /** WAL since the last checkpoint that triggers one (default 16 MiB). */
  readonly checkpointWalBytes?: number;
}

const DEFAULT_CHECKPOINT_CHECK_MS = 10_000;
const DEFAULT_CHECKPOINT_WAL_BYTES = 16 * 1024 * 1024;

/**
 * PGlite runs no checkpointer: left alone, it checkpoints only when the WAL
 * reaches max_wal_size (1 GB), and a restart after a crash replays all of it
 * (about a second per 150 MB here). A small periodic CHECKPOINT (tens of
 * milliseconds, PGlite does not fsync) keeps that replay short.
 */
function startCheckpoints(turns: Turns, db: PGlite, everyMs: number, walBytes: number): () => void {
  if (everyMs <= 0) return () => undefined;
  const timer = setInterval(() => {
    void turns
      .run(async () => {
        const behind = await db.query<{ bytes: number }>(
          'SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()',
        );
        if ((behind.rows[0]?.bytes ?? 0) >= walBytes) await db.exec('CHECKPOINT');
      })
      // A failed check changes nothing; the next one tries again (or the store is closing).
      .catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export interface PgliteClient extends SqlClient {
  /** The whole data folder as a gzipped tar (for templates and backups). */
  dump(): Promise<Blob>;
}

const isInMemory = (dataDir: string): boolean => dataDir.startsWith('memory://');

/**
 * The ledger is readable only by its owner: PGlite's initdb leaves most files
 * mode 0666, and folders from older versions may be open too. Directories
 * become 0700 and files 0600; files PostgreSQL creates later are 0600 already.
 */
export async function restrictToOwner(folder: string): Promise<void> {
  const tighten = async (path: string, mode: number): Promise<void> => {
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, mode);
  };
  await tighten(folder, 0o700);
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) await tighten(path, 0o700);
    else if (entry.isFile()) await tighten(path, 0o600);
  }
}

/**
 * The data folder (with its parents, owner-only) and its lock. A folder that
 * cannot be created is reported as such, not as PGlite's own mkdir failure.
 */
async function prepareFolder(dataDir: string): Promise<FolderLock> {
  const folder = resolve(dataDir);
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`cannot create the embedded store folder ${folder} (${reason})`, { cause: error });
  }
  return acquireFolderLock(folder);
}

/**
 * Embedded adapter: PostgreSQL compiled to WASM, in this process, persisted
 * to `dataDir` ('memory://' keeps it in memory). Zero setup; one connection.
 * A folder is held by one process at a time (folder-lock.ts): a second
 * opener, in this process or another, is refused with StoreLockedError.
 */
export async function createPgliteClient(
  dataDir: string,
  options: PgliteOptions = {},
): Promise<PgliteClient> {
  const lock = isInMemory(dataDir) ? undefined : await prepareFolder(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir, {
      parsers: { [types.INT8]: parseInt8 },
      ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
    });
    if (lock !== undefined) await restrictToOwner(resolve(dataDir));
  } catch (error) {
    lock?.release();
    throw error;
  }
  const turns = new Turns();
  const stopCheckpoints =
    lock === undefined
      ? () => undefined
      : startCheckpoints(
          turns,
          db,
          options.checkpointCheckMs ?? DEFAULT_CHECKPOINT_CHECK_MS,
          options.checkpointWalBytes ?? DEFAULT_CHECKPOINT_WAL_BYTES,
        );
  const direct = queryable(db);
  const prepared = new Set<string>();
  return {
    engine: 'pglite',
    maxConcurrentTransactions: 1,
    query<R>(sql: string, params?: readonly SqlValue[]): Promise<SqlRows<R>> {
      return turns.run(() => direct.query<R>(sql, params));
    },
    script: (sql) => turns.run(() => direct.script(sql)),
    transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      return turns.run(() => db.transaction((tx) => fn(queryable(tx))));
    },
    session<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
      return turns.run(async () => {
        try {
          return await fn({ ...direct, prepared });
        } catch (error) {
          // Leave no transaction open for the next caller; the original error is the one to report.
          await db.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    },
    close: () =>
      turns.run(async () => {
        stopCheckpoints();
        try {
          await db.close();
          // Best effort: files written since the open were created owner-only already; the next open walks again.
          if (lock !== undefined) await restrictToOwner(resolve(dataDir)).catch(() => undefined);
        } finally {
          lock?.release();
        }
      }),
    dump: () => turns.run(() => db.dumpDataDir('gzip')),
  };
}
