/**
 * The one seam between the ledger store and a database engine. Both adapters
 * (PostgreSQL through a `pg` Pool, embedded PGlite) run the same SQL text and
 * the same migrations; only connection handling differs.
 */

export type SqlValue = string | number | boolean | null | readonly SqlValue[];

export interface SqlRows<R> {
  readonly rows: R[];
}

/** Anything that runs statements: the client itself or an open transaction. */
export interface SqlQueryable {
  /**
   * Runs one parameterised statement. `name` marks a hot statement the
   * PostgreSQL adapter prepares once per connection (the text must then never
   * vary for that name).
   */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlValue[],
    name?: string,
  ): Promise<SqlRows<R>>;
  /**
   * Runs a script of statements without parameters in one round trip (the
   * simple query protocol); one result per statement. A failing statement
   * stops the script.
   */
  script(sql: string): Promise<SqlRows<Record<string, unknown>>[]>;
}

export type SqlTx = SqlQueryable;

/**
 * One connection held for a while, with no transaction managed for it: the
 * caller sends BEGIN and COMMIT inside its own scripts (to save round trips).
 * If fn throws, the session rolls back whatever is open.
 */
export interface SqlSession extends SqlQueryable {
  /**
   * Names of the statements PREPAREd on this connection, kept by the adapter for the connection's life;
   * null behind a transaction pooler, where nothing may outlive a transaction (statements go in full).
   */
  readonly prepared: Set<string> | null;
  /** The script that opens a transaction on this connection (BEGIN and any SET LOCAL); default BEGIN. */
  readonly begin?: string;
}

export interface SqlClient extends SqlQueryable {
  readonly engine: 'postgres' | 'pglite';
  /** How many transactions can usefully run at once (1 for PGlite: a single connection). */
  readonly maxConcurrentTransactions: number;
  /** Runs fn inside BEGIN ... COMMIT; rolls back if fn throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /**
   * Runs fn on one connection. fn may be run again from the start (the PostgreSQL adapter does so when
   * it finds a transaction pooler, the ledger store after a conflict), so it commits only as its last step.
   */
  session<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * SQLSTATE codes after which a whole transaction can simply run again:
 * serialization failure, deadlock, and a unique violation caused by two
 * transactions creating the same account at once (the retry then finds it).
 */
const retryableCodes = new Set(['40001', '40P01', '23505']);

export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && retryableCodes.has(code);
}

/**
 * The database could not be reached, dropped the connection, or did not
 * answer in time: nothing is wrong with the request, and a retry later may
 * succeed. `code` is the SQLSTATE the server sent (class 08, 57P, 53300,
 * 57014), else 08006 (connection failure) for a socket that broke or a
 * timeout the driver gave up on. The HTTP layer answers 503.
 */
export class StoreUnavailableError extends Error {
  readonly code: string;
  constructor(message: string, code: string, cause: unknown) {
    super(message, { cause });
    this.name = 'StoreUnavailableError';
    this.code = code;
  }
}

export function isStoreUnavailableError(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreUnavailableError;
}

/** Int8 columns come back as numbers; a value beyond 2^53 would be a bug, so fail loudly. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${text} is not a safe integer`);
  return n;
}
