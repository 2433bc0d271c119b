import { err, type Result } from '../core/errors.ts';
import type { Operation } from '../core/ledger/operations.ts';
import type { Instant } from '../core/time.ts';
import { applyBatch } from './apply-batch.ts';
import { Batcher, type BatcherOptions } from './batcher.ts';
import { checkCommand } from './check-command.ts';
import type { LedgerCommand } from './command.ts';
import { loadAccounts } from './load-accounts.ts';
import { readBalance, readBalanceAsOf, readHolds, readLots } from './read-ledger.ts';
import { readEntries } from './read-entries.ts';
import { requestHash } from './request-hash.ts';
import { transactionWithRetry } from './retry.ts';
import type { SqlClient, SqlTx } from './sql-client.ts';
import type { ExecuteCommand, ExecuteResult, LedgerStore, StoreTx, SweepReport } from './store.ts';
import { sweepExpired } from './sweep.ts';
import { writeResults } from './write-results.ts';

export interface StoreOptions {
  /** Group-commit tuning; maxInFlight defaults to what the engine allows. */
  readonly batch?: Partial<BatcherOptions>;
}

export const DEFAULT_MAX_BATCH = 512;
export const DEFAULT_WINDOW_MS = 2;

function toCommand(
  account: string,
  ops: readonly Operation[],
  now: Instant,
  key: string | undefined,
  hash: string | undefined,
): LedgerCommand {
  const resolvedKey = key ?? null;
  const resolvedHash = hash ?? (resolvedKey === null ? '' : requestHash({ account, ops }));
  return { account, ops, now, key: resolvedKey, hash: resolvedHash };
}

/** Load, apply in memory, write: the same steps for a batch of many commands or one tx.applyOps. */
async function runCommands(tx: SqlTx, commands: readonly LedgerCommand[]): Promise<Result<ExecuteResult>[]> {
  const loaded = await loadAccounts(tx, commands);
  const { outcomes, writes } = applyBatch(loaded, commands);
  await writeResults(tx, writes);
  return outcomes;
}

function storeTx(tx: SqlTx): StoreTx {
  return {
    query: (sql, params) => tx.query(sql, params),
    async applyOps(account, ops, now, idempotencyKey, hash) {
      const checked = checkCommand(account, now, idempotencyKey);
      if (!checked.ok) return checked;
      const [outcome] = await runCommands(tx, [toCommand(account, ops, now, idempotencyKey, hash)]);
      if (outcome === undefined) throw new Error('a command produced no outcome');
      return outcome;
    },
  };
}

/** The ledger store over any SqlClient: writes go through the group-commit batcher. */
export function createLedgerStore(client: SqlClient, options: StoreOptions = {}): LedgerStore {
  const batcher = new Batcher<LedgerCommand, Result<ExecuteResult>>(
    (commands) => transactionWithRetry(client, (tx) => runCommands(tx, commands)),
    {
      maxBatch: options.batch?.maxBatch ?? DEFAULT_MAX_BATCH,
      windowMs: options.batch?.windowMs ?? DEFAULT_WINDOW_MS,
      maxInFlight: Math.min(
        options.batch?.maxInFlight ?? client.maxConcurrentTransactions,
        client.maxConcurrentTransactions,
      ),
    },
  );

  const store: LedgerStore = {
    engine: client.engine,
    execute(cmd: ExecuteCommand): Promise<Result<ExecuteResult>> {
      const checked = checkCommand(cmd.account, cmd.now, cmd.idempotencyKey);
      if (!checked.ok) return Promise.resolve(err(checked.error));
      return batcher.submit(toCommand(cmd.account, [cmd.op], cmd.now, cmd.idempotencyKey, cmd.requestHash));
    },
    executeMany: (cmds) => Promise.all(cmds.map((cmd) => store.execute(cmd))),
    balance: (account, t) => readBalance(client, account, t),
    balanceAsOf: (account, t) => readBalanceAsOf(client, account, t),
    lots: (account, opts) => readLots(client, account, opts?.withRemaining),
    holds: (account, opts) => readHolds(client, account, opts?.includeSettled),
    entries: (account, query) => readEntries(client, account, query),
    sweepExpired: (now, limit): Promise<SweepReport> => sweepExpired(client, store, now, limit),
    query: (sql, params) => client.query(sql, params),
    transaction: (fn) => transactionWithRetry(client, (tx) => fn(storeTx(tx))),
    async close() {
      await batcher.close();
      await client.close();
    },
  };
  return store;
}
