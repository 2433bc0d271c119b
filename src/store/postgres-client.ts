import pg from 'pg';
import {
  parseInt8,
  sqlState,
  StoreUnavailableError,
  type SqlClient,
  type SqlQueryable,
  type SqlRows,
  type SqlSession,
  type SqlValue,
} from './sql-client.ts';

const INT8_OID = 20;

/** Every wait on the database is bounded; 0 turns one off (not advised). */
export interface PostgresTimeouts {
  /** Opening a connection (TCP and the PostgreSQL start-up), ms. */
  readonly connectMs: number;
  /** Waiting for a pooled connection when all are busy, ms. */
  readonly acquireMs: number;
  /**
   * The server's statement_timeout, ms. The driver also gives up on a
   * statement after this plus QUERY_TIMEOUT_GRACE_MS, for a server that has
   * stopped answering altogether (it cannot cancel anything then).
   */
  readonly statementMs: number;
  /** The server's idle_in_transaction_session_timeout: a transaction left open by a vanished client, ms. */
  readonly idleInTransactionMs: number;
  /** TCP keepalive: first probe after this long idle, ms, so a dead peer is noticed on idle connections. */
  readonly keepAliveMs: number;
}

/**
 * Library defaults. The statement timeout is off here, so a migration or a
 * long export run from the CLI or a script is not cut short; the server sets
 * all five from its configuration (src/config.ts).
 */
export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = Object.freeze({
  connectMs: 5_000,
  acquireMs: 5_000,
  statementMs: 0,
  idleInTransactionMs: 30_000,
  keepAliveMs: 10_000,
});

/** The driver's own limit runs this much past the server's statement_timeout, so the server's fires first. */
export const QUERY_TIMEOUT_GRACE_MS = 1_000;

/**
 * What sits between the adapter and PostgreSQL.
 *
 * - `transaction`: a transaction-mode pooler (PgBouncer `pool_mode = transaction`, most hosted poolers),
 *   where consecutive transactions of one client connection may run on different server connections.
 *   Nothing is left on a connection between transactions: no prepared statements (SQL `PREPARE` or
 *   protocol-level named ones), no startup parameters (PgBouncer refuses them); the statement and
 *   idle-in-transaction timeouts are set with `SET LOCAL` at the start of each transaction.
 * - `none`: a direct connection: hot statements are prepared once per connection and the timeouts travel
 *   as startup parameters.
 * - `auto` (default): as `none` until the server shows a pooler (a startup parameter refused, or a
 *   prepared statement missing or already there on a connection that should know), then as
 *   `transaction` for the life of the client; the work that showed it is run again, once.
 */
export type PoolerMode = 'auto' | 'transaction' | 'none';

export interface PostgresOptions {
  readonly url: string;
  /** Default `auto`. */
  readonly pooler?: PoolerMode;
  /** Pool size; batches, reads and use-case transactions share it. */
  readonly poolSize?: number;
  /** Batches allowed in flight at once, each on its own connection. */
  readonly maxConcurrentTransactions?: number;
  readonly timeouts?: Partial<PostgresTimeouts>;
  /** Called once when `auto` finds a transaction pooler (the server logs it). */
  readonly onPoolerDetected?: () => void;
}

/** Driver messages (no SQLSTATE) that mean the connection is gone or never came. */
const LOST_CONNECTION =
  /Connection terminated|not queryable|Query read timeout|timeout exceeded when trying to connect|connection timeout|^timeout expired$/i;
/** Socket-level codes from Node. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * A failure of the connection rather than of the statement, as a
 * StoreUnavailableError; any other error is returned as it is.
 */
export function asStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const code = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined) {
    const unavailable =
      code.startsWith('08') || code.startsWith('57P') || code === '53300' || code === '57014';
    if (unavailable) return new StoreUnavailableError(`database unavailable: ${message}`, code, error);
    if (!SOCKET_CODES.has(code)) return error;
    return new StoreUnavailableError(`database unreachable: ${message}`, '08006', error);
  }
  if (LOST_CONNECTION.test(message)) {
    return new StoreUnavailableError(`database connection lost: ${message}`, '08006', error);
  }
  return error;
}

/** A pooler refused a startup parameter (PgBouncer: "unsupported startup parameter: statement_timeout"). */
const STARTUP_PARAMETER_REFUSED = /unsupported startup parameter/i;
/** duplicate_prepared_statement, invalid_sql_statement_name: a named statement met another server connection. */
const PREPARED_STATEMENT_LOST = new Set(['42P05', '26000']);

/** True when the error is one a transaction pooler causes and a direct connection never does. */
export function isPoolerSymptom(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return STARTUP_PARAMETER_REFUSED.test(error.message);
  const code = sqlState(error);
  return code !== undefined && PREPARED_STATEMENT_LOST.has(code);
}

/** `named` false: statement names are dropped (the unnamed statement, planned with each execution). */
function queryable(client: pg.ClientBase, named: boolean): SqlQueryable {
  return {
    async query<R>(sql: string, params: readonly SqlValue[] = [], name?: string): Promise<SqlRows<R>> {
      const values = params as unknown[];
      try {
        const result = await client.query(
          name === undefined || !named ? { text: sql, values } : { name, text: sql, values },
        );
        return { rows: result.rows as R[] };
      } catch (error) {
        throw asStoreError(error);
      }
    },
    async script(sql: string) {
      try {
        const result = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
        return (Array.isArray(result) ? result : [result]).map((r) => ({
          rows: r.rows as Record<string, unknown>[],
        }));
      } catch (error) {
        throw asStoreError(error);
      }
    },
  };
}

/** Statements prepared on each pooled connection (they live as long as the connection). */
const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();

/** A checked-out connection; `release` destroys it instead of pooling it when it may be unusable. */
interface Lease {
  readonly client: pg.PoolClient;
  /** Set by the 'error' listener when the connection broke while checked out. */
  broken: boolean;
}

/** Production adapter: a `pg` Pool on a PostgreSQL URL, int8 parsed to number. */
export function createPostgresClient(options: PostgresOptions): SqlClient {
  const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...options.timeouts };
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID
        ? parseInt8
        : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
  };
  const pooler = options.pooler ?? 'auto';
  /** True for good once a transaction pooler is known: set from the start, or at its first symptom (auto). */
  let poolerSafe = pooler === 'transaction';
  const config: pg.ClientConfig = {
    connectionString: options.url,
    types,
    keepAlive: timeouts.keepAliveMs > 0,
    keepAliveInitialDelayMillis: timeouts.keepAliveMs,
    ...(timeouts.statementMs > 0 ? { query_timeout: timeouts.statementMs + QUERY_TIMEOUT_GRACE_MS } : {}),
  };
  /** The server-side timeouts as startup parameters, for direct connections (a pooler refuses them). */
  const startupParameters: pg.ClientConfig = {
    ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs } : {}),
    ...(timeouts.idleInTransactionMs > 0
      ? { idle_in_transaction_session_timeout: timeouts.idleInTransactionMs }
      : {}),
  };
  // pg-pool applies its connectionTimeoutMillis to waits in its queue (so waiters given up on leave it) and
  // passes it to new clients; each client gets the connect timeout of its own instead.
  class BoundedClient extends pg.Client {
    constructor(poolConfig: pg.ClientConfig) {
      super({
        ...poolConfig,
        ...(poolerSafe ? {} : startupParameters),
        connectionTimeoutMillis: timeouts.connectMs,
      });
    }
  }
  const pool = new pg.Pool({
    ...config,
    max: options.poolSize ?? 10,
    ...(timeouts.acquireMs > 0 ? { connectionTimeoutMillis: timeouts.acquireMs } : {}),
    Client: BoundedClient as unknown as new () => pg.ClientBase,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  /** Clients that already carry the listener below (pg-pool keeps client objects across checkouts). */
  const leases = new WeakMap<pg.PoolClient, Lease>();

  async function acquire(): Promise<Lease> {
    const connecting = pool.connect();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      if (timeouts.acquireMs <= 0) return;
      timer = setTimeout(
        () =>
          reject(
            new StoreUnavailableError(
              `database unavailable: no connection free after ${timeouts.acquireMs} ms`,
              '08006',
              undefined,
            ),
          ),
        timeouts.acquireMs,
      );
    });
    let client: pg.PoolClient;
    try {
      client = await Promise.race([connecting, timedOut]);
    } catch (error) {
      // A connection that arrives after we gave up goes straight back to the pool.
      connecting.then(
        (late) => late.release(),
        () => undefined,
      );
      throw asStoreError(error);
    } finally {
      clearTimeout(timer);
    }
    let lease = leases.get(client);
    if (lease === undefined) {
      const created: Lease = { client, broken: false };
      // Without a listener, a connection dropped while checked out (server restart, pg_terminate_backend)
      // would be an unhandled 'error' event and end the process. Its queries fail on their own.
      client.on('error', () => {
        created.broken = true;
      });
      leases.set(client, created);
      lease = created;
    }
    return lease;
  }

  /** Back to the pool, or destroyed when it broke or may be stuck mid-statement. */
  function release(lease: Lease, destroy: boolean): void {
    lease.client.release(destroy || lease.broken);
  }

  /** Runs fn on a checked-out connection; after a failure, `cleanup` (a ROLLBACK) is tried unless the connection is gone. */
  async function withConnection<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    cleanup: string | null,
  ): Promise<T> {
    const lease = await acquire();
    let destroy = false;
    try {
      return await fn(lease.client);
    } catch (error) {
      const failure = asStoreError(error);
      if (failure instanceof StoreUnavailableError || lease.broken) destroy = true;
      else if (cleanup !== null) {
        try {
          await lease.client.query(cleanup);
        } catch {
          destroy = true;
        }
      }
      throw failure;
    } finally {
      release(lease, destroy);
    }
  }

  /**
   * Opens a transaction. Behind a transaction pooler the connection carries no settings of its own, so
   * the timeouts come with each transaction (0 is sent too: it overrides a default set on the role).
   */
  const begin = (): string =>
    poolerSafe
      ? `BEGIN; SET LOCAL statement_timeout = ${timeouts.statementMs}; ` +
        `SET LOCAL idle_in_transaction_session_timeout = ${timeouts.idleInTransactionMs}`
      : 'BEGIN';

  /**
   * In auto mode, the first symptom of a transaction pooler switches the client to pooler-safe mode and
   * runs the work once more. The symptoms come before anything is committed: a refused connection, or a
   * statement failing on its prepared name (a script stops at its first error, COMMIT included).
   */
  async function poolerAware<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (pooler !== 'auto' || !isPoolerSymptom(error)) throw error;
      if (!poolerSafe) {
        poolerSafe = true;
        options.onPoolerDetected?.();
      }
      return work();
    }
  }

  const poolQueryable: SqlQueryable = {
    query: (sql, params, name) =>
      poolerAware(() => withConnection((c) => queryable(c, !poolerSafe).query(sql, params, name), null)),
    script: (sql) => poolerAware(() => withConnection((c) => queryable(c, false).script(sql), null)),
  };

  return {
    engine: 'postgres',
    maxConcurrentTransactions: options.maxConcurrentTransactions ?? 4,
    ...poolQueryable,
    transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      return poolerAware(() =>
        withConnection(async (client) => {
          const tx = queryable(client, !poolerSafe);
          await tx.script(begin());
          const value = await fn(tx);
          await tx.script('COMMIT');
          return value;
        }, 'ROLLBACK'),
      );
    },
    session<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
      return poolerAware(() =>
        withConnection((client) => {
          if (poolerSafe) return fn({ ...queryable(client, false), prepared: null, begin: begin() });
          let prepared = preparedOn.get(client);
          if (prepared === undefined) preparedOn.set(client, (prepared = new Set()));
          return fn({ ...queryable(client, true), prepared, begin: begin() });
        }, 'ROLLBACK'),
      );
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
