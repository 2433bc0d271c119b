import type { Result } from '../core/errors.ts';
import type { Balance } from '../core/ledger/balance.ts';
import type { Operation } from '../core/ledger/operations.ts';
import type { Instant } from '../core/time.ts';
import type { Entry, EntryType, Hold, Lot } from '../core/types.ts';
import type { GrantManyResult, ManyGrant } from './grant-many.ts';
import type { SqlRows, SqlValue } from './sql-client.ts';

/** One ledger operation on one account, as the application submits it. */
export interface ExecuteCommand {
  readonly account: string;
  readonly op: Operation;
  /** The operation's time; recorded on its entries. */
  readonly now: Instant;
  /** Scoped to the account: the same key on another account is another request. */
  readonly idempotencyKey?: string;
  /** Hash of the request the key stands for; defaults to a hash of account + operation. */
  readonly requestHash?: string;
}

export interface ExecuteResult {
  readonly entries: readonly Entry[];
  /** Balance at the command's `now`, after it. */
  readonly balance: Balance;
  /** True when this is the stored result of an earlier request with the same key. */
  readonly replayed: boolean;
}

export const MAX_ENTRIES_PAGE = 500;

export interface EntryQuery {
  /** Entries effective at or after this instant. */
  readonly since?: Instant;
  /** Entries effective before this instant. */
  readonly until?: Instant;
  readonly types?: readonly EntryType[];
  readonly ref?: string;
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
  /** 1 to 500; default 50. */
  readonly limit?: number;
  /** Newest first by default. */
  readonly order?: 'asc' | 'desc';
}

export interface EntryPage {
  readonly entries: readonly Entry[];
  /** Pass back to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface SweepReport {
  /** Accounts that had lots due. */
  readonly accounts: number;
  /** Expiry entries written. */
  readonly expired: number;
}

/**
 * What a use case gets inside `store.transaction`: its own statements and
 * ledger operations commit or roll back together.
 */
export interface StoreTx {
  /** `name` marks a hot statement of fixed text, prepared once per connection where that is safe. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlValue[],
    name?: string,
  ): Promise<SqlRows<R>>;
  /**
   * Locks the account, applies the operations in order and writes them. All
   * or nothing: if one fails, none is written and its error is returned (the
   * transaction stays usable). With a key, a repeat returns the stored result.
   */
  applyOps(
    account: string,
    ops: readonly Operation[],
    now: Instant,
    idempotencyKey?: string,
    requestHash?: string,
  ): Promise<Result<ExecuteResult>>;
  /**
   * The same for several accounts in one pass: every account is locked (in
   * sorted order), loaded and written by one statement each, whatever their
   * number. All or nothing: the first failing command's error is returned
   * and nothing is written. One result per command, in order.
   */
  applyMany(commands: readonly TxCommand[], now: Instant): Promise<Result<ExecuteResult[]>>;
  /**
   * Many commands in one pass, each with its own time, each succeeding or
   * failing alone (as in the group-commit batcher): every account is locked
   * in sorted order, loaded and written by one statement each; the commands
   * that succeed are written, a refused one leaves no trace. One outcome per
   * command, in order.
   */
  applyEach(commands: readonly TimedTxCommand[]): Promise<Result<ExecuteResult>[]>;
  /**
   * One grant to many accounts, computed set-based in SQL (the monthly
   * allotment): the rows the core would write, for accounts with a ledger
   * row and no due expiry; the others are returned untouched, for applyOps.
   */
  grantMany(
    grant: ManyGrant,
    accounts: readonly { readonly account: string; readonly ref: string | null }[],
    now: Instant,
  ): Promise<GrantManyResult>;
}

/** One account's operations for `StoreTx.applyMany`, under its own idempotency key if any. */
export interface TxCommand {
  readonly account: string;
  readonly ops: readonly Operation[];
  readonly idempotencyKey?: string;
  readonly requestHash?: string;
}

/** One command for `StoreTx.applyEach`, at its own time. */
export interface TimedTxCommand extends TxCommand {
  readonly now: Instant;
}

/** Renders a text as an SQL literal (dollar quoted), for statements sent without parameters. */
export type Literal = (text: string) => string;

/**
 * A use case decided together with the ledger in one transaction of two
 * round trips (`LedgerStore.round`): its reads, the ledger's load, the pure
 * decision in memory, then the ledger's write and its own writes. Statements
 * carry their values as literals (made with the `Literal` given). The round
 * may run again from the start (a deadlock, a conflict), so `decide` and
 * `finish` must be pure.
 */
export interface LedgerRound<T> {
  /** How many statements `first` returns. */
  readonly firstCount: number;
  /** The use case's reads and locks, run first (after BEGIN, before any account is locked). */
  first(literal: Literal): readonly string[];
  /** The accounts (and idempotency keys) the round may apply commands to: locked and loaded after `first`. */
  readonly load: readonly TimedTxCommand[];
  /** From the rows of `first` (one list per statement): the commands to apply, each failing alone. */
  decide(rows: readonly (readonly Record<string, unknown>[])[]): RoundDecision<T>;
}

export interface RoundDecision<T> {
  /** Applied in order, as `StoreTx.applyEach` does; every account must be one of the round's `load`. */
  readonly commands: readonly TimedTxCommand[];
  /** From each command's outcome: the statements run after the ledger's write, before COMMIT, and the result. */
  finish(
    outcomes: readonly Result<ExecuteResult>[],
    literal: Literal,
  ): { readonly last: readonly string[]; readonly value: T };
}

/** The ledger's storage port, owned by the application. */
export interface LedgerStore {
  readonly engine: 'postgres' | 'pglite';
  /** Applies one operation through the group-commit batcher. */
  execute(cmd: ExecuteCommand): Promise<Result<ExecuteResult>>;
  executeMany(cmds: readonly ExecuteCommand[]): Promise<Result<ExecuteResult>[]>;
  /** Balance at t from current state (lazy expiry); meant for t at or after the last operation. */
  balance(account: string, t: Instant): Promise<Balance>;
  /** Balance at any past instant, rebuilt from history. */
  balanceAsOf(account: string, t: Instant): Promise<Balance>;
  /** Every lot of the account in issue order, or only those still holding Connects. */
  lots(account: string, options?: { readonly withRemaining?: boolean }): Promise<Lot[]>;
  /** Active holds, or every hold with `includeSettled`. */
  holds(account: string, options?: { readonly includeSettled?: boolean }): Promise<Hold[]>;
  entries(account: string, query?: EntryQuery): Promise<Result<EntryPage>>;
  /** Materialises due expiries for at most `limit` accounts; safe to run twice or beside spends. */
  sweepExpired(now: Instant, limit: number): Promise<SweepReport>;
  /** A use case and the ledger in one transaction of two round trips (see LedgerRound). */
  round<T>(round: LedgerRound<T>): Promise<T>;
  /** A read outside any transaction (for a use case's own tables); `name` as for StoreTx.query. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlValue[],
    name?: string,
  ): Promise<SqlRows<R>>;
  /**
   * Runs fn in one database transaction. It may run more than once (after a
   * deadlock or serialization failure), so it must not have outside effects.
   * Inside it use tx.query and tx.applyOps, never store.execute or store.query
   * (they would wait for the transaction that is waiting for them).
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
