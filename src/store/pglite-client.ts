import { PGlite, types } from '@electric-sql/pglite';
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
}

export interface PgliteClient extends SqlClient {
  /** The whole data folder as a gzipped tar (for templates and backups). */
  dump(): Promise<Blob>;
}

/**
 * Embedded adapter: PostgreSQL compiled to WASM, in this process, persisted
 * to `dataDir` ('memory://' keeps it in memory). Zero setup; one connection.
 */
export async function createPgliteClient(
  dataDir: string,
  options: PgliteOptions = {},
): Promise<PgliteClient> {
  const db = await PGlite.create(dataDir, {
    parsers: { [types.INT8]: parseInt8 },
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
  });
  const turns = new Turns();
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
    close: () => turns.run(() => db.close()),
    dump: () => turns.run(() => db.dumpDataDir('gzip')),
  };
}
