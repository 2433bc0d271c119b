/**
 * Spend benchmark: N concurrent callers debit 1-8 Connects through
 * store.execute against pre-funded accounts for a fixed time, then the
 * baseline runs on the same machine. Flags:
 *   --store postgres|pglite (default pglite)   --seconds 10   --clients 64   --accounts 10000
 *   --url <admin PostgreSQL url>   --data-dir <PGlite folder>   --no-keys (debits without idempotency keys)
 *   batcher tuning: --max-batch 512   --window-ms 2   --in-flight 4   --spread-above 32
 *   --json (accepted for compatibility: the JSON summary is always the last line)
 * It also gives CPU per debit (this process, PostgreSQL, the whole machine) and, on PostgreSQL, per pgbench
 * transaction, from /proc: where the two differ is in what each operation costs the database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.ts';
import type { BatcherOptions } from '../src/store/batcher.ts';
import type { LedgerStore } from '../src/store/store.ts';
import { intFlag, stringFlag, type Flags } from './args.ts';
import { cpuPerOperation, readCpu } from './cpu-counters.ts';
import { runSpendLoad, type LoadResult } from './load-loop.ts';
import { runPgbench } from './pgbench.ts';
import { scratchDatabase } from './scratch-database.ts';
import { seedAccounts } from './seed-accounts.ts';

const LOTS_PER_ACCOUNT = 3;
const LOT_AMOUNT = 400;

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Debited Connects must equal what left the lots, and no lot may be negative. */
async function verify(store: LedgerStore, spent: number, accounts: number): Promise<void> {
  const rows = await store.query<{ debited: number; remaining: number }>(
    `SELECT (SELECT coalesce(sum(amount), 0)::int8 FROM entries WHERE type = 'debit') AS debited,
            (SELECT coalesce(sum(remaining), 0)::int8 FROM lots) AS remaining`,
  );
  const row = rows.rows[0];
  const seeded = accounts * LOTS_PER_ACCOUNT * LOT_AMOUNT;
  if (row === undefined || row.debited !== spent || row.remaining !== seeded - spent) {
    throw new Error(
      `ledger check failed: ${JSON.stringify(row)}, acknowledged spends ${spent}, seeded ${seeded}`,
    );
  }
  say(`check: ${spent} Connects debited = acknowledged spends; lots hold the rest`);
}

function report(label: string, r: LoadResult): void {
  say(
    `${label}: ${r.ops} debits in ${r.seconds.toFixed(1)} s = ${r.opsPerSec}/s, ` +
      `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.failed} refused`,
  );
}

/** CPU readings where `own` is this process's: the callers and the store's client. */
const cpuNow = () =>
  readCpu(() => {
    const own = process.cpuUsage();
    return (own.user + own.system) / 1000;
  });

function batchTuning(flags: Flags): Partial<BatcherOptions> {
  const pick = (flag: string, key: keyof BatcherOptions) =>
    flags[flag] === undefined ? {} : { [key]: intFlag(flags, flag, 1) };
  return {
    ...pick('max-batch', 'maxBatch'),
    ...pick('window-ms', 'windowMs'),
    ...pick('in-flight', 'maxInFlight'),
    ...pick('spread-above', 'spreadAbove'),
  };
}

export async function run(flags: Flags): Promise<void> {
  const engine = stringFlag(flags, 'store') ?? 'pglite';
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error('--store is postgres or pglite');
  const clients = intFlag(flags, 'clients', 64);
  const seconds = intFlag(flags, 'seconds', 10);
  const accounts = intFlag(flags, 'accounts', 10_000);
  const keys = flags['no-keys'] !== true;
  const adminUrl =
    stringFlag(flags, 'url') ??
    process.env['TEST_DATABASE_URL'] ??
    'postgres://postgres@127.0.0.1:5432/postgres';

  const scratch = engine === 'postgres' ? await scratchDatabase(adminUrl, 'connects_bench') : undefined;
  const tempDir = engine === 'pglite' ? await mkdtemp(join(tmpdir(), 'connects-bench-')) : undefined;
  const dataDir = stringFlag(flags, 'data-dir') ?? tempDir;
  try {
    const location = scratch ? { url: scratch.url } : { dataDir: dataDir as string };
    say(
      `spend bench on ${engine}: ${clients} clients, ${seconds} s, ${accounts} accounts, keys ${keys ? 'on' : 'off'}`,
    );
    let started = performance.now();
    const tuning = batchTuning(flags);
    let store = await openStore({ ...location, batch: tuning });
    say(`opened and migrated in ${Math.round(performance.now() - started)} ms`);
    started = performance.now();
    await seedAccounts(store, accounts, LOTS_PER_ACCOUNT, LOT_AMOUNT, Date.now());
    say(
      `seeded ${accounts} accounts x ${LOTS_PER_ACCOUNT} lots in ${Math.round(performance.now() - started)} ms`,
    );
    const cpuBefore = await cpuNow();
    const result = await runSpendLoad(store, { clients, seconds, accounts, keys, tag: 'batched' });
    const cpuPerDebit = cpuPerOperation(cpuBefore, await cpuNow(), result.ops, scratch !== undefined);
    report('batched', result);
    say(
      `CPU per debit: this process ${cpuPerDebit.own} ms, PostgreSQL ${cpuPerDebit.database ?? '-'} ms, ` +
        `machine ${cpuPerDebit.machine} ms`,
    );
    let spent = result.spent;
    let baseline: {
      name: string;
      clients: number;
      tps: number;
      cpuMsPerTransaction?: { database: number | null; machine: number | null };
    };
    if (scratch) {
      await verify(store, spent, accounts);
      await store.close();
      const pgbenchDb = await scratchDatabase(adminUrl, 'connects_pgbench');
      try {
        say(`baseline: pgbench -c 8 -j 2 -T ${seconds} (builtin tpcb-like)`);
        const run = await runPgbench(pgbenchDb.url, 8, seconds, cpuNow);
        const cpu = cpuPerOperation(run.cpuBefore, run.cpuAfter, run.transactions, true);
        baseline = {
          name: 'pgbench tpcb-like',
          clients: 8,
          tps: run.tps,
          cpuMsPerTransaction: { database: cpu.database, machine: cpu.machine },
        };
        say(`CPU per pgbench transaction: PostgreSQL ${cpu.database} ms, machine ${cpu.machine} ms`);
      } finally {
        await pgbenchDb.drop();
      }
    } else {
      await store.close();
      store = await openStore({ ...location, batch: { maxBatch: 1 } });
      const single = await runSpendLoad(store, { clients, seconds, accounts, keys, tag: 'single' });
      report('baseline, one operation per transaction', single);
      spent += single.spent;
      await verify(store, spent, accounts);
      await store.close();
      baseline = { name: 'pglite spend, one operation per transaction', clients, tps: single.opsPerSec };
    }
    say(`baseline: ${baseline.tps} tps`);
    const { ops, opsPerSec, p50Ms, p99Ms } = result;
    const ratio = Math.round((opsPerSec / baseline.tps) * 100) / 100;
    say(
      JSON.stringify({
        name: 'spend',
        store: engine,
        clients,
        ops,
        opsPerSec,
        p50Ms,
        p99Ms,
        cpuMsPerDebit: {
          bench: cpuPerDebit.own,
          database: cpuPerDebit.database,
          machine: cpuPerDebit.machine,
        },
        baseline,
        ratio,
      }),
    );
  } finally {
    await scratch?.drop();
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
}
