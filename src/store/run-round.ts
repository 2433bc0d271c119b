import { err, type Result } from '../core/errors.ts';
import { applyBatch } from './apply-batch.ts';
import { checkCommand } from './check-command.ts';
import type { LedgerCommand } from './command.ts';
import { loadedBatch, loadPayload, loadStatements, parseLoadRows } from './load-accounts.ts';
import { inlineLiteral, inlinePayload } from './payload.ts';
import type { SqlSession } from './sql-client.ts';
import type { ExecuteResult, LedgerRound } from './store.ts';
import { inlineWriteStatement, writeLiterals, writesNothing } from './write-results.ts';

/**
 * A use case decided with the ledger in one transaction of two round trips
 * (`LedgerStore.round`): BEGIN, the use case's own reads and locks, then the
 * ledger's lock and load of the accounts it may touch, in one script; the
 * pure decision in memory; then the ledger's write, the use case's own
 * writes and COMMIT in a second script. Every literal is inlined (dollar
 * quoted), so the scripts need no parameters and no prepared statement, and
 * run the same behind a transaction pooler.
 */
export async function runRound<T>(
  session: SqlSession,
  round: LedgerRound<T>,
  toCommand: (cmd: LedgerRound<T>['load'][number]) => LedgerCommand,
): Promise<T> {
  const [lock, load] = loadStatements(inlinePayload(loadPayload(round.load.map(toCommand))));
  const first = await session.script(
    [session.begin ?? 'BEGIN', ...round.first(inlineLiteral), lock, load].join(';\n'),
  );
  const own = first.slice(-2 - round.firstCount, -2).map((r) => r.rows);
  const ledgerRows = parseLoadRows(first.at(-2)?.rows ?? [], first.at(-1)?.rows ?? []);
  const decision = round.decide(own);
  const loadedAccounts = new Set(round.load.map((cmd) => cmd.account));
  // A command the core cannot judge is refused alone, as in applyEach.
  const checked = decision.commands.map((cmd) => {
    if (!loadedAccounts.has(cmd.account))
      throw new Error(`account ${cmd.account} was not loaded by the round`);
    const valid = checkCommand(cmd.account, cmd.now, cmd.idempotencyKey, cmd.ops);
    return valid.ok ? undefined : err(valid.error);
  });
  const runnable = decision.commands.filter((_, i) => checked[i] === undefined).map(toCommand);
  const { outcomes: ran, writes } = applyBatch(loadedBatch(runnable, ledgerRows), runnable);
  let next = 0;
  const outcomes: Result<ExecuteResult>[] = checked.map((refused) => {
    if (refused !== undefined) return refused;
    const outcome = ran[next++];
    if (outcome === undefined) throw new Error('a command produced no outcome');
    return outcome;
  });
  const { last, value } = decision.finish(outcomes, inlineLiteral);
  const write = writesNothing(writes) ? [] : [inlineWriteStatement(writeLiterals(writes).map(inlineLiteral))];
  await session.script([...write, ...last, 'COMMIT'].join(';\n'));
  return value;
}
