import pg from 'pg';
import {
  parseInt8,
  type SqlClient,
  type SqlQueryable,
  type SqlRows,
  type SqlSession,
  type SqlValue,
} from './sql-client.ts';

const INT8_OID = 20;

export interface PostgresOptions {
  readonly url: string;
  /** Pool size; batches, reads and use-case transactions share it. */
  readonly poolSize?: number;
  /** Batches allowed in flight at once, each on its own connection. */
  readonly maxConcurrentTransactions?: number;
}

function queryable(target: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<R>(sql: string, params: readonly SqlValue[] = [], name?: string): Promise<SqlRows<R>> {
      const values = params as unknown[];
      const result = await target.query(
        name === undefined ? { text: sql, values } : { name, text: sql, values },
      );
      return { rows: result.rows as R[] };
    },
    async script(sql: string) {
      const result = (await target.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(result) ? result : [result]).map((r) => ({
        rows: r.rows as Record<string, unknown>[],
      }));
    },
  };
}

/** Statements prepared on each pooled connection (they live as long as the connection). */
const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();

/** Production adapter: a `pg` Pool on a PostgreSQL URL, int8 parsed to number. */
export function createPostgresClient(options: PostgresOptions): SqlClient {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID
        ? parseInt8
        : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return {
    engine: 'postgres',
    maxConcurrentTransactions: options.maxConcurrentTransactions ?? 4,
    ...queryable(pool),
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const value = await fn(queryable(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async session<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      let prepared = preparedOn.get(client);
      if (prepared === undefined) preparedOn.set(client, (prepared = new Set()));
      try {
        return await fn({ ...queryable(client), prepared });
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
