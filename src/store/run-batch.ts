import type { Result } from '../core/errors.ts';
import { applyBatch } from './apply-batch.ts';
import type { LedgerCommand } from './command.ts';
import { loadedBatch, loadPayload, loadStatements, type LoadRows } from './load-accounts.ts';
import { boundPayload, inlinePayload } from './payload.ts';
import type { SqlSession, SqlTx } from './sql-client.ts';
import type { ExecuteResult } from './store.ts';
import { writePayload, writeStatement } from './write-results.ts';

type Outcomes = Result<ExecuteResult>[];

function rowsOf(results: readonly { rows: unknown[] }[]): LoadRows {
  const [accounts, holds, lots, stored] = results.map((r) => r.rows);
  return { accounts, holds, lots, stored } as LoadRows;
}

/**
 * A whole batch in one transaction and two round trips: BEGIN with the lock
 * and load statements in one script, then the write and COMMIT in another.
 * The pure core runs in between, in memory.
 */
export async function runBatchInSession(
  session: SqlSession,
  commands: readonly LedgerCommand[],
): Promise<Outcomes> {
  const load = loadStatements(inlinePayload(loadPayload(commands)));
  const loaded = await session.script(['BEGIN', ...load].join(';\n'));
  const { outcomes, writes } = applyBatch(loadedBatch(commands, rowsOf(loaded.slice(1))), commands);
  const write = writeStatement(inlinePayload(writePayload(writes)), writes);
  await session.script(write === null ? 'COMMIT' : `${write};\nCOMMIT`);
  return outcomes;
}

/** The same steps inside a transaction someone else opened (a use case's), with bound parameters. */
export async function runCommandsInTx(tx: SqlTx, commands: readonly LedgerCommand[]): Promise<Outcomes> {
  const payload = loadPayload(commands);
  const results: { rows: unknown[] }[] = [];
  for (const sql of loadStatements(boundPayload)) results.push(await tx.query(sql, [payload]));
  const { outcomes, writes } = applyBatch(loadedBatch(commands, rowsOf(results)), commands);
  const write = writeStatement(boundPayload, writes);
  if (write !== null) await tx.query(write, [writePayload(writes)]);
  return outcomes;
}
