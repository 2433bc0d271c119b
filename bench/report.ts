/**
 * Ledger report benchmark: N accounts seeded set-based (bench/seed-accounts.ts:
 * two purchased lots of 40 each, issued in October), each lot with its
 * purchase row at 15 cents, and one 5-Connect debit per account effective in
 * November; then the November and October reports (docs/finance.md), timed.
 * Flags: --store postgres|pglite (default postgres)   --accounts 100000   --runs 3
 *   --url <admin PostgreSQL url>
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLedgerReport } from '../src/app/finance/get-ledger-report.ts';
import { defaultTimeline } from '../src/core/policy/timeline.ts';
import { TestPaymentProvider } from '../src/app/payments/test-provider.ts';
import { openStore } from '../src/store/open-store.ts';
import type { LedgerStore } from '../src/store/store.ts';
import { intFlag, stringFlag, type Flags } from './args.ts';
import { scratchDatabase } from './scratch-database.ts';
import { seedAccounts } from './seed-accounts.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const secondsSince = (started: number) => Math.round((performance.now() - started) / 10) / 100;
const NOV_10 = Date.parse('2026-11-10T12:00:00Z');

/** Purchase rows for the seeded lots, and a debit of 5 from lot 1 of every account, effective Nov 10. */
export async function seedMonth(store: LedgerStore): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO purchases (freelancer_id, purchase_id, status, request_hash, policy_id, connects,
         unit_price_cents, price_cents, tax_rate_bp, tax_cents, total_cents, currency, card_last4, charge_id,
         lot_no, expires_at, created_at)
       SELECT account, 'p' || lot_no, 'succeeded', 'h', '2023', amount, 15, amount * 15, 0, 0, amount * 15,
         'USD', '4242', 'ch_' || account || lot_no, lot_no, expires_at, issued_at
       FROM lots WHERE account LIKE 'bench-%'`,
    );
    await tx.query(
      `INSERT INTO entries (account, seq, type, amount, postings, balance_before, balance_after,
         available_before, available_after, effective_at, recorded_at, ref, reason, lot, hold_id, idempotency_key)
       SELECT a.account, a.seq + 1, 'debit', 5, '[{"lotNo":1,"amount":-5}]'::jsonb, b.total, b.total - 5,
         b.total, b.total - 5, $1::bigint, $1::bigint, 'proposal:x', 'proposal', NULL, NULL, NULL
       FROM accounts a
       JOIN (SELECT account, sum(remaining) AS total FROM lots GROUP BY account) b ON b.account = a.account
       WHERE a.account LIKE 'bench-%'`,
      [NOV_10],
    );
    await tx.query(`UPDATE lots SET remaining = remaining - 5 WHERE lot_no = 1 AND account LIKE 'bench-%'`);
    await tx.query(`UPDATE accounts SET seq = seq + 1 WHERE account LIKE 'bench-%'`);
  });
  for (const table of ['purchases', 'entries', 'lots', 'accounts']) await store.query(`ANALYZE ${table}`);
}

export async function run(flags: Flags): Promise<void> {
  const engine = stringFlag(flags, 'store') ?? 'postgres';
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error('--store must be postgres or pglite');
  const accounts = intFlag(flags, 'accounts', 100_000);
  const runs = intFlag(flags, 'runs', 3);
  const adminUrl =
    stringFlag(flags, 'url') ??
    process.env['TEST_DATABASE_URL'] ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = engine === 'postgres' ? await scratchDatabase(adminUrl, 'bench_report') : undefined;
  const tempDir = engine === 'pglite' ? await mkdtemp(join(tmpdir(), 'bench-report-')) : undefined;
  const store = await openStore(scratch ? { url: scratch.url } : { dataDir: tempDir as string });
  try {
    let started = performance.now();
    await seedAccounts(store, accounts, 2, 40, Date.parse('2026-10-15T00:00:00Z'));
    await seedMonth(store);
    say(`seeded ${accounts} accounts (${accounts * 3} entries) in ${secondsSince(started)} s`);
    const ctx = { store, timeline: defaultTimeline, payments: new TestPaymentProvider() };
    const times: Record<string, number[]> = { '2026-10': [], '2026-11': [] };
    for (let i = 0; i < runs; i++) {
      for (const month of Object.keys(times)) {
        started = performance.now();
        const report = await getLedgerReport(ctx, { month }, Date.parse('2026-12-02T00:00:00Z'));
        if (!report.ok) throw new Error(report.error.message);
        times[month]?.push(secondsSince(started));
        const r = report.value;
        say(
          `${month}: ${secondsSince(started)} s, closing ${r.closing.total.connects} Connects / ` +
            `${r.closing.total.cents} cents, check ${JSON.stringify(r.check)}`,
        );
      }
    }
    say(JSON.stringify({ benchmark: 'report', store: engine, accounts, runs: times }));
  } finally {
    await store.close();
    await scratch?.drop();
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
}
