import type { Result } from '../core/errors.ts';
import { applyBatch } from './apply-batch.ts';
import type { LedgerCommand } from './command.ts';
import { loadedBatch, loadPayload, loadStatements, parseLoadRows } from './load-accounts.ts';
import { boundPayload, inlineLiteral, inlinePayload } from './payload.ts';
import type { SqlSession, SqlTx } from './sql-client.ts';
import type { ExecuteResult } from './store.ts';
import {
  inlineWriteStatement,
  writeLiterals,
  writeParams,
  writeParamTypes,
  writesNothing,
  writeStatement,
} from './write-results.ts';

type Outcomes = Result<ExecuteResult>[];

const [lockSql, loadSql] = loadStatements(boundPayload);

/**
 * The batch statements, PREPAREd once per connection: planning them costs
 * more than running them (much more in PGlite's WASM build), and their text
 * never changes. The names carry a version so a changed text is a new name.
 */
const prepared = [
  { name: 'connects_batch_lock_v2', types: ['jsonb'], sql: lockSql },
  { name: 'connects_batch_load_v1', types: ['jsonb'], sql: loadSql },
  { name: 'connects_batch_write_v1', types: writeParamTypes, sql: writeStatement },
] as const;

async function ensurePrepared(session: SqlSession, names: Set<string>): Promise<void> {
  if (prepared.every((p) => names.has(p.name))) return;
  // A connection may already hold them (prepared before a failure lost track); ask it.
  const [existing] = await session.script(
    `SELECT name FROM pg_prepared_statements WHERE name IN (${prepared.map((p) => `'${p.name}'`).join(', ')})`,
  );
  for (const row of existing?.rows ?? []) names.add(String(row['name']));
  const missing = prepared.filter((p) => !names.has(p.name));
  if (missing.length > 0) {
    await session.script(
      missing.map((p) => `PREPARE ${p.name}(${p.types.join(', ')}) AS ${p.sql}`).join(';\n'),
    );
  }
  for (const p of missing) names.add(p.name);
}

/**
 * A whole batch in one transaction and two round trips: BEGIN, the lock and
 * the load in one script, then the write and COMMIT in another; the pure
 * core runs in between, in memory. On a connection that keeps prepared
 * statements, generic plans are forced for this transaction so they are
 * never re-planned; behind a transaction pooler the statements go in full.
 */
export async function runBatchInSession(
  session: SqlSession,
  commands: readonly LedgerCommand[],
): Promise<Outcomes> {
  const names = session.prepared;
  if (names !== null) await ensurePrepared(session, names);
  const payload = inlinePayload(loadPayload(commands));
  const begin = session.begin ?? 'BEGIN';
  const [lock, load] =
    names === null
      ? loadStatements(payload)
      : [`EXECUTE ${prepared[0].name}(${payload})`, `EXECUTE ${prepared[1].name}(${payload})`];
  const setup = names === null ? '' : '; SET LOCAL plan_cache_mode = force_generic_plan';
  const results = await session.script(`${begin}${setup};\n${lock};\n${load}`);
  const rows = parseLoadRows(results.at(-2)?.rows ?? [], results.at(-1)?.rows ?? []);
  const { outcomes, writes } = applyBatch(loadedBatch(commands, rows), commands);
  if (writesNothing(writes)) await session.script('COMMIT');
  else {
    const literals = writeLiterals(writes).map(inlineLiteral);
    const write =
      names === null ? inlineWriteStatement(literals) : `EXECUTE ${prepared[2].name}(${literals.join(', ')})`;
    await session.script(`${write}; COMMIT`);
  }
  return outcomes;
}

/**
 * The same steps inside a transaction someone else opened (a use case's), with bound parameters: three
 * statements however many accounts the commands touch. 'all': when a command fails, nothing is written
 * (the locks stay until the caller's transaction ends); 'each': the others are written, as in a batch.
 */
export async function runCommandsInTx(
  tx: SqlTx,
  commands: readonly LedgerCommand[],
  mode: 'all' | 'each' = 'all',
): Promise<Outcomes> {
  const payload = loadPayload(commands);
  // Named: prepared once per connection (dropped behind a pooler); planning cost more than running.
  const locked = await tx.query(lockSql, [payload], 'connects_tx_lock_v1');
  const loaded = await tx.query(loadSql, [payload], 'connects_tx_load_v1');
  const rows = parseLoadRows(locked.rows, loaded.rows);
  const { outcomes, writes } = applyBatch(loadedBatch(commands, rows), commands);
  // 'each': the writes hold only the commands that succeeded (applyBatch skips a refused one's state).
  if ((mode === 'each' || outcomes.every((outcome) => outcome.ok)) && !writesNothing(writes)) {
    await tx.query(writeStatement, writeParams(writes), 'connects_tx_write_v1');
  }
  return outcomes;
}
