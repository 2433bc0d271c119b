/**
 * Verify benchmark: N accounts seeded set-based (bench/seed-accounts.ts: one
 * account row, `--lots` lots and their grant entries each), then the whole
 * ledger checked by the code `connects verify` runs. Flags:
 *   --store postgres|pglite (default postgres)   --accounts 1000000   --lots 2   --batch 2000
 *   --url <admin PostgreSQL url>   --json (accepted: the JSON summary is always the last line)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.ts';
import { verifyLedger } from '../src/store/verify-ledger.ts';
import { intFlag, stringFlag, type Flags } from './args.ts';
import { scratchDatabase } from './scratch-database.ts';
import { seedAccounts } from './seed-accounts.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const secondsSince = (started: number) => Math.round((performance.now() - started) / 10) / 100;

export async function run(flags: Flags): Promise<void> {
  const engine = stringFlag(flags, 'store') ?? 'postgres';
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error('--store must be postgres or pglite');
  const accounts = intFlag(flags, 'accounts', 1_000_000);
  const lots = intFlag(flags, 'lots', 2);
  const batchSize = intFlag(flags, 'batch', 2_000);
  const adminUrl =
    stringFlag(flags, 'url') ??
    process.env['TEST_DATABASE_URL'] ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = engine === 'postgres' ? await scratchDatabase(adminUrl, 'bench_verify') : undefined;
  const tempDir = engine === 'pglite' ? await mkdtemp(join(tmpdir(), 'bench-verify-')) : undefined;
  const store = await openStore(scratch ? { url: scratch.url } : { dataDir: tempDir as string });
  try {
    let started = performance.now();
    await seedAccounts(store, accounts, lots, 5, Date.parse('2026-02-15T00:00:00Z'));
    say(`seeded ${accounts} accounts with ${lots} lots each in ${secondsSince(started)} s`);
    started = performance.now();
    let lastLine = started;
    const report = await verifyLedger(store, {
      batchSize,
      onProgress(checked, total) {
        if (performance.now() - lastLine < 5_000) return;
        lastLine = performance.now();
        say(`verified ${checked}/${total} (${Math.round(checked / ((lastLine - started) / 1000))}/s)`);
      },
    });
    const seconds = secondsSince(started);
    say(
      JSON.stringify({
        benchmark: 'verify',
        store: engine,
        accounts: report.accounts,
        entries: report.entries,
        discrepancies: report.discrepancyCount,
        seconds,
        accountsPerSecond: Math.round(report.accounts / seconds),
        target: '1,000,000 accounts in at most 300 s',
      }),
    );
  } finally {
    await store.close();
    await scratch?.drop();
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
}
