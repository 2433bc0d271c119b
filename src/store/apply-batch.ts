import { connectsError, err, ok, type Result } from '../core/errors.ts';
import { applyOperation } from '../core/ledger/apply.ts';
import { balanceAt } from '../core/ledger/balance.ts';
import type { Operation } from '../core/ledger/operations.ts';
import type { Instant } from '../core/time.ts';
import type { AccountState, Entry } from '../core/types.ts';
import { scopedKey, type LedgerCommand } from './command.ts';
import { namedLotNo, type LoadedBatch } from './load-accounts.ts';
import type { ExecuteResult } from './store.ts';
import { diffStates, type BatchWrites } from './diff-states.ts';

/**
 * A refund or adjustment may name lots by number; one this account does not
 * have is bad input (the core treats an unloaded lot as a bug), so it is
 * refused here.
 */
function checkNamedLots(state: AccountState, op: Operation): Result<void> {
  // A lot correction's lot is loaded when it exists; the core answers lot_not_found itself.
  if (op.kind === 'correct_lot' || op.kind === 'extend_lot') return ok(undefined);
  const named = op.kind === 'refund' ? op.draws.map((d) => d.lotNo) : [namedLotNo(op)];
  const lotNos = new Set(state.lots.map((lot) => lot.lotNo));
  const unknown = named.find((lotNo) => lotNo !== undefined && !lotNos.has(lotNo));
  if (unknown === undefined) return ok(undefined);
  const message = `The ${op.kind} names lot ${unknown}, which this account does not have.`;
  return err(connectsError('validation_failed', message, { lotNo: unknown }));
}

/** Applies a command's operations in order; all or nothing. */
export function applyCommand(
  state: AccountState,
  ops: readonly Operation[],
  now: Instant,
): Result<{ state: AccountState; entries: Entry[] }> {
  let current = state;
  const entries: Entry[] = [];
  for (const op of ops) {
    const named = checkNamedLots(current, op);
    if (!named.ok) return named;
    const applied = applyOperation(current, op, now);
    if (!applied.ok) return applied;
    current = applied.value.state;
    entries.push(...applied.value.entries);
  }
  return ok({ state: current, entries });
}

export interface BatchOutcome {
  readonly outcomes: Result<ExecuteResult>[];
  readonly writes: BatchWrites;
}

/**
 * Runs a batch in memory, in arrival order, against the loaded states. One
 * command's business error fails only that command. Commands sharing an
 * idempotency key behave as if run one after another: the first success is
 * stored and later ones replay it (or conflict).
 */
export function applyBatch(loaded: LoadedBatch, commands: readonly LedgerCommand[]): BatchOutcome {
  const states = new Map<string, AccountState>();
  const createdAt = new Map<string, Instant>();
  const stored = new Map(loaded.stored);
  const outcomes: Result<ExecuteResult>[] = [];
  const entries: BatchWrites['entries'] = [];
  const results: BatchWrites['results'] = [];
  for (const cmd of commands) {
    const scoped = cmd.key === null ? null : scopedKey(cmd.account, cmd.key);
    const prior = scoped === null ? undefined : stored.get(scoped);
    if (prior !== undefined) {
      outcomes.push(
        prior.hash === cmd.hash
          ? ok({ ...prior.result, replayed: true })
          : err(
              connectsError(
                'idempotency_conflict',
                'This idempotency key was used before with a different request.',
                {
                  idempotencyKey: cmd.key,
                },
              ),
            ),
      );
      continue;
    }
    const loadedAccount = loaded.accounts.get(cmd.account);
    if (loadedAccount === undefined) throw new Error(`account ${cmd.account} was not loaded`);
    const applied = applyCommand(states.get(cmd.account) ?? loadedAccount.state, cmd.ops, cmd.now);
    if (!applied.ok) {
      outcomes.push(applied);
      continue;
    }
    states.set(cmd.account, applied.value.state);
    if (!createdAt.has(cmd.account)) createdAt.set(cmd.account, cmd.now);
    const result = { entries: applied.value.entries, balance: balanceAt(applied.value.state, cmd.now) };
    for (const entry of applied.value.entries) entries.push({ account: cmd.account, entry, key: cmd.key });
    if (scoped !== null && cmd.key !== null) {
      stored.set(scoped, { hash: cmd.hash, result });
      results.push({ scope: cmd.account, key: cmd.key, hash: cmd.hash, result, createdAt: cmd.now });
    }
    outcomes.push(ok({ ...result, replayed: false }));
  }
  return { outcomes, writes: diffStates(loaded, states, createdAt, entries, results) };
}
