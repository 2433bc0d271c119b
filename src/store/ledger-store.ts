import { err, ok, type Result } from '../core/errors.ts';
import type { Operation } from '../core/ledger/operations.ts';
import type { Instant } from '../core/time.ts';
import { Batcher, type BatcherOptions } from './batcher.ts';
import { checkCommand } from './check-command.ts';
import { grantMany } from './grant-many.ts';
import type { LedgerCommand } from './command.ts';
import { readBalance, readBalanceAsOf, readHolds, readLots } from './read-ledger.ts';
import { readEntries } from './read-entries.ts';
import { requestHash } from './request-hash.ts';
import { withRetry } from './retry.ts';
import { runBatchInSession, runCommandsInTx } from './run-batch.ts';
import { runRound } from './run-round.ts';
import { isRetryable, isStoreUnavailableError, type SqlClient, type SqlTx } from './sql-client.ts';
import type { ExecuteCommand, ExecuteResult, LedgerStore, StoreTx } from './store.ts';
import { sweepExpired } from './sweep.ts';

export interface StoreOptions {
  /** Group-commit tuning; maxInFlight is capped by what the engine allows. */
  readonly batch?: Partial<BatcherOptions>;
}

export const DEFAULT_MAX_BATCH = 512;
export const DEFAULT_WINDOW_MS = 2;
/**
 * With several connections (PostgreSQL), a queue longer than this is split
 * over idle connections: the database overlaps one batch's commit flush with
 * another's work instead of running one large batch at a time.
 */
export const DEFAULT_SPREAD_ABOVE = 32;

type Outcome = Result<ExecuteResult>;
/** A batch settles each command with its outcome, or with the exception that stopped it. */
type Settled = { outcome: Outcome } | { thrown: unknown };

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

/**
 * Runs a batch, retrying conflicts. If the database refuses the batch for
 * any other reason (a bug, bad data that slipped through), each command is
 * run alone, so one bad command cannot fail the others that shared its batch.
 * A batch cut off by a lost connection is not run again: its COMMIT may have
 * landed, and a command without an idempotency key would then apply twice.
 */
async function runBatch(client: SqlClient, commands: LedgerCommand[]): Promise<Settled[]> {
  const attempt = (cmds: readonly LedgerCommand[]) =>
    withRetry(() => client.session((session) => runBatchInSession(session, cmds)));
  try {
    return (await attempt(commands)).map((outcome) => ({ outcome }));
  } catch (error) {
    // A lost or hung database fails the whole batch at once: one by one, each would wait out the same timeouts.
    if (commands.length === 1 || isRetryable(error) || isStoreUnavailableError(error)) {
      return commands.map(() => ({ thrown: error }));
    }
    const settled: Settled[] = [];
    for (const cmd of commands) {
      try {
        const [outcome] = await attempt([cmd]);
        settled.push(outcome === undefined ? { thrown: new Error('no outcome') } : { outcome });
      } catch (alone) {
        settled.push({ thrown: alone });
      }
    }
    return settled;
  }
}

function storeTx(tx: SqlTx): StoreTx {
  return {
    query: (sql, params, name) => tx.query(sql, params, name),
    async applyOps(account, ops, now, idempotencyKey, hash) {
      const checked = checkCommand(account, now, idempotencyKey, ops);
      if (!checked.ok) return checked;
      const [outcome] = await runCommandsInTx(tx, [toCommand(account, ops, now, idempotencyKey, hash)]);
      if (outcome === undefined) throw new Error('a command produced no outcome');
      return outcome;
    },
    async applyMany(commands, now) {
      for (const cmd of commands) {
        const checked = checkCommand(cmd.account, now, cmd.idempotencyKey, cmd.ops);
        if (!checked.ok) return checked;
      }
      if (commands.length === 0) return ok([]);
      const outcomes = await runCommandsInTx(
        tx,
        commands.map((cmd) => toCommand(cmd.account, cmd.ops, now, cmd.idempotencyKey, cmd.requestHash)),
      );
      const values: ExecuteResult[] = [];
      for (const outcome of outcomes) {
        if (!outcome.ok) return outcome;
        values.push(outcome.value);
      }
      return ok(values);
    },
    async applyEach(commands) {
      const outcomes: (Outcome | undefined)[] = commands.map((cmd) => {
        const checked = checkCommand(cmd.account, cmd.now, cmd.idempotencyKey, cmd.ops);
        return checked.ok ? undefined : err(checked.error);
      });
      const runnable = commands.filter((_, i) => outcomes[i] === undefined);
      const ran =
        runnable.length === 0
          ? []
          : await runCommandsInTx(
              tx,
              runnable.map((cmd) =>
                toCommand(cmd.account, cmd.ops, cmd.now, cmd.idempotencyKey, cmd.requestHash),
              ),
              'each',
            );
      let next = 0;
      return outcomes.map((checked) => {
        if (checked !== undefined) return checked;
        const outcome = ran[next++];
        if (outcome === undefined) throw new Error('a command produced no outcome');
        return outcome;
      });
    },
    grantMany: (grant, accounts, now) => grantMany(tx, grant, accounts, now),
  };
}

/** The ledger store over any SqlClient: writes go through the group-commit batcher. */
export function createLedgerStore(client: SqlClient, options: StoreOptions = {}): LedgerStore {
  const batcher = new Batcher<LedgerCommand, Settled>((commands) => runBatch(client, commands), {
    maxBatch: options.batch?.maxBatch ?? DEFAULT_MAX_BATCH,
    windowMs: options.batch?.windowMs ?? DEFAULT_WINDOW_MS,
    spreadAbove: options.batch?.spreadAbove ?? DEFAULT_SPREAD_ABOVE,
    maxInFlight: Math.min(
      options.batch?.maxInFlight ?? client.maxConcurrentTransactions,
      client.maxConcurrentTransactions,
    ),
  });

  const store: LedgerStore = {
    engine: client.engine,
    async execute(cmd: ExecuteCommand): Promise<Outcome> {
      const checked = checkCommand(cmd.account, cmd.now, cmd.idempotencyKey, [cmd.op]);
      if (!checked.ok) return err(checked.error);
      const settled = await batcher.submit(
        toCommand(cmd.account, [cmd.op], cmd.now, cmd.idempotencyKey, cmd.requestHash),
      );
      if ('thrown' in settled) throw settled.thrown;
      return settled.outcome;
    },
    executeMany: (cmds) => Promise.all(cmds.map((cmd) => store.execute(cmd))),
    balance: (account, t) => readBalance(client, account, t),
    balanceAsOf: (account, t) => readBalanceAsOf(client, account, t),
    lots: (account, opts) => readLots(client, account, opts?.withRemaining),
    holds: (account, opts) => readHolds(client, account, opts?.includeSettled),
    entries: (account, query) => readEntries(client, account, query),
    sweepExpired: (now, limit) => sweepExpired(client, store, now, limit),
    query: (sql, params, name) => client.query(sql, params, name),
    transaction: (fn) => withRetry(() => client.transaction((tx) => fn(storeTx(tx)))),
    round: (round) =>
      withRetry(() =>
        client.session((session) =>
          runRound(session, round, (cmd) =>
            toCommand(cmd.account, cmd.ops, cmd.now, cmd.idempotencyKey, cmd.requestHash),
          ),
        ),
      ),
    async close() {
      await batcher.close();
      await client.close();
    },
  };
  return store;
}
