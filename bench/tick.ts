/**
 * Tick benchmark: N Basic freelancers, all due for their monthly allotment,
 * renewed by one `tick`; then, in the same run and database, the baseline:
 * a plain INSERT ... SELECT of N rows into a scratch table shaped like `lots`
 * (the one row per account the tick cannot avoid writing). Flags:
 *   --store postgres|pglite (default postgres)   --accounts 1000000   --batch 10000   --workers 4
 *   --url <admin PostgreSQL url>   --json (accepted: the JSON summary is always the last line)
 *   --profile: also print the time the tick's statements took, by kind (summed over connections)
 * Last, the floor: the same rows (two UPDATEs, a lot, an entry and an outbox event per account) written
 * by plain SQL, as the ratio that separates what the schema costs from what the tick adds.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { tick, type TickProgress } from '../src/app/scheduler/tick.ts';
import { TestPaymentProvider } from '../src/app/payments/test-provider.ts';
import { defaultTimeline } from '../src/core/policy/timeline.ts';
import { createLedgerStore } from '../src/store/ledger-store.ts';
import { migrate } from '../src/store/migrate.ts';
import { openClient } from '../src/store/open-store.ts';
import type { LedgerStore } from '../src/store/store.ts';
import { intFlag, stringFlag, type Flags } from './args.ts';
import { timedClient } from './statement-times.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const secondsSince = (started: number) => Math.round((performance.now() - started) / 10) / 100;

/** The seeded timeline: registered Jan 15 10:00 (anchor 15), ticked five minutes into Feb 15. */
const SEED = {
  registeredAt: Date.parse('2026-01-15T10:00:00Z'),
  lotsExpireAt: Date.parse('2027-01-15T10:00:00Z'),
  cycleStart: Date.parse('2026-02-15T00:00:00Z'),
  nextCycleStart: Date.parse('2026-03-15T00:00:00Z'),
  tickAt: Date.parse('2026-02-15T00:05:00Z'),
};

/**
 * What `registerFreelancer` leaves behind for each account (the freelancer
 * row, a signup lot of 40 and the first allotment of 10, their grant entries),
 * written set-based: four INSERT ... SELECT statements.
 */
async function seedFreelancers(store: LedgerStore, accounts: number): Promise<void> {
  const { registeredAt: r, lotsExpireAt, cycleStart } = SEED;
  const steps: [string, string, (string | number)[]][] = [
    [
      'freelancers',
      `INSERT INTO freelancers (id, registered_at, anchor_day, plan, last_allotted_cycle, next_cycle_at)
       SELECT 'fl' || lpad(i::text, 8, '0'), $2::bigint, 15, 'basic', 0, $3::bigint FROM generate_series(1, $1::int) i`,
      [accounts, r, cycleStart],
    ],
    [
      'accounts',
      'INSERT INTO accounts (account, seq, next_lot_no, created_at) SELECT id, 2, 3, $1::bigint FROM freelancers',
      [r],
    ],
    [
      'lots',
      `INSERT INTO lots (account, lot_no, source, category, amount, remaining, issued_at, expires_at, ref)
       SELECT f.id, v.n, v.source, 'free', v.amount, v.amount, $1::bigint, $2::bigint, v.ref
       FROM freelancers f, (VALUES (1, 'signup', 40, 'registration'), (2, 'allotment', 10, 'cycle:0')) v(n, source, amount, ref)`,
      [r, lotsExpireAt],
    ],
    [
      'entries',
      `INSERT INTO entries (account, seq, type, amount, postings, balance_before, balance_after,
         available_before, available_after, effective_at, recorded_at, ref, reason, lot, hold_id, idempotency_key)
       SELECT l.account, l.lot_no, 'grant', l.amount, jsonb_build_array(jsonb_build_object('lotNo', l.lot_no, 'amount', l.amount)),
         b.before, b.before + l.amount, b.before, b.before + l.amount, l.issued_at, l.issued_at, l.ref,
         CASE l.lot_no WHEN 2 THEN 'plan:basic' END,
         jsonb_build_object('lotNo', l.lot_no, 'source', l.source, 'category', l.category, 'amount', l.amount,
           'remaining', l.amount, 'issuedAt', l.issued_at, 'expiresAt', l.expires_at, 'ref', l.ref),
         NULL, NULL
       FROM lots l JOIN (VALUES (1, 0), (2, 40)) b(n, before) ON b.n = l.lot_no`,
      [],
    ],
  ];
  for (const [table, sql, params] of steps) {
    const started = performance.now();
    await store.query(sql, params);
    say(`seed: ${table} in ${secondsSince(started)} s`);
  }
}

async function scratchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `connects_tick_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Starts both measurements from the same state: statistics fresh, hint bits set, dirty pages flushed. */
async function settle(store: LedgerStore): Promise<void> {
  await store.query('VACUUM (ANALYZE) freelancers, accounts, lots, entries, event_outbox');
  if (store.engine === 'postgres') await store.query('CHECKPOINT');
}

function progressPrinter(accounts: number): (p: TickProgress) => void {
  let lastPrinted = 0;
  const started = performance.now();
  return (p) => {
    const now = performance.now();
    if (p.phase !== 'renewals' || (now - lastPrinted < 2000 && p.accounts < accounts)) return;
    lastPrinted = now;
    const pct = accounts === 0 ? 100 : Math.floor((p.accounts / accounts) * 100);
    say(`tick: ${p.accounts}/${p.due} accounts renewed (${pct}%) after ${secondsSince(started)} s`);
  };
}

/** Every account got exactly one lot for the cycle, and every freelancer moved to the next one. */
async function verify(store: LedgerStore, accounts: number): Promise<void> {
  const rows = await store.query<{ lots: number; moved: number }>(
    `SELECT (SELECT count(*)::int FROM lots WHERE source = 'allotment' AND issued_at = $1) AS lots,
            (SELECT count(*)::int FROM freelancers WHERE next_cycle_at = $2 AND last_allotted_cycle = 1) AS moved`,
    [SEED.cycleStart, SEED.nextCycleStart],
  );
  const row = rows.rows[0];
  if (row?.lots !== accounts || row.moved !== accounts) {
    throw new Error(`tick check failed: ${JSON.stringify(row)} for ${accounts} accounts`);
  }
  say(
    `check: ${accounts} allotment lots issued at the cycle start, ${accounts} freelancers on the next cycle`,
  );
}

async function baseline(store: LedgerStore, accounts: number): Promise<number> {
  await store.query('CREATE TABLE tick_baseline (LIKE lots INCLUDING ALL)');
  await settle(store);
  const started = performance.now();
  await store.query(
    `INSERT INTO tick_baseline (account, lot_no, source, category, amount, remaining, issued_at, expires_at, ref)
     SELECT id, 3, 'allotment', 'free', 10, 10, $1::bigint, $2::bigint, 'cycle:1' FROM freelancers`,
    [SEED.cycleStart, SEED.nextCycleStart],
  );
  const seconds = secondsSince(started);
  say(`baseline: INSERT ... SELECT of ${accounts} rows into a table like lots in ${seconds} s`);
  return seconds;
}

/**
 * The floor: the rows the tick writes for each account, by plain SQL that computes nothing per account
 * (both UPDATEs of every due row, then INSERT ... SELECT into tables like lots, entries and event_outbox,
 * indexes included), statement by statement in one transaction. Whatever computes the allotments pays
 * at least this with this schema; the tick's time over it is what the ledger's rules cost.
 */
async function floor(store: LedgerStore): Promise<number> {
  for (const table of ['lots', 'entries', 'event_outbox']) {
    await store.query(`CREATE TABLE floor_${table} (LIKE ${table} INCLUDING ALL)`);
  }
  await settle(store);
  const { cycleStart, nextCycleStart, lotsExpireAt } = SEED;
  const started = performance.now();
  await store.transaction(async (tx) => {
    // A value the rows do not hold yet: the indexed column really changes, as in the tick (no HOT update).
    await tx.query(
      'UPDATE freelancers SET last_allotted_cycle = last_allotted_cycle + 1, next_cycle_at = $1::bigint',
      [nextCycleStart + 1],
    );
    await tx.query('UPDATE accounts SET seq = seq + 1, next_lot_no = next_lot_no + 1');
    await tx.query(
      `INSERT INTO floor_lots (account, lot_no, source, category, amount, remaining, issued_at, expires_at, ref)
       SELECT id, 3, 'allotment', 'free', 10, 10, $1::bigint, $2::bigint, 'cycle:1' FROM freelancers`,
      [cycleStart, lotsExpireAt],
    );
    await tx.query(
      `INSERT INTO floor_entries (account, seq, type, amount, postings, balance_before, balance_after,
         available_before, available_after, effective_at, recorded_at, ref, reason, lot)
       SELECT id, 3, 'grant', 10, '[{"lotNo":3,"amount":10}]', 50, 60, 50, 60, $1::bigint, $1::bigint, 'cycle:1',
         'plan:basic', '{"lotNo":3,"source":"allotment","category":"free","amount":10}' FROM freelancers`,
      [cycleStart],
    );
    await tx.query(
      `INSERT INTO floor_event_outbox (account, type, seq, occurred_at)
       SELECT id, 'connects.granted', 3, $1::bigint FROM freelancers`,
      [cycleStart],
    );
  });
  const seconds = secondsSince(started);
  say(`floor: the tick's rows by plain SQL (2 UPDATEs, 3 INSERT ... SELECT) in ${seconds} s`);
  return seconds;
}

export async function run(flags: Flags): Promise<void> {
  const engine = stringFlag(flags, 'store') ?? 'postgres';
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error('--store is postgres or pglite');
  const accounts = intFlag(flags, 'accounts', 1_000_000);
  const batchSize = intFlag(flags, 'batch', 10_000);
  const workers = intFlag(flags, 'workers', engine === 'postgres' ? 4 : 1);
  const adminUrl =
    stringFlag(flags, 'url') ??
    process.env['TEST_DATABASE_URL'] ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = engine === 'postgres' ? await scratchDatabase(adminUrl) : undefined;
  const tempDir = engine === 'pglite' ? await mkdtemp(join(tmpdir(), 'connects-tick-')) : undefined;
  try {
    const client = timedClient(
      await openClient(scratch ? { url: scratch.url } : { dataDir: tempDir as string }),
    );
    await migrate(client);
    const store = createLedgerStore(client);
    say(
      `tick bench on ${engine}: ${accounts} Basic accounts due, batches of ${batchSize}, ${workers} workers`,
    );
    let started = performance.now();
    await seedFreelancers(store, accounts);
    await settle(store);
    say(`seeded ${accounts} freelancers (2 lots, 2 entries each) in ${secondsSince(started)} s`);

    const ctx = { store, timeline: defaultTimeline, payments: new TestPaymentProvider() };
    client.times.reset();
    started = performance.now();
    const summary = await tick(ctx, SEED.tickAt, {
      batchSize,
      workers,
      onProgress: progressPrinter(accounts),
    });
    const seconds = secondsSince(started);
    say(
      `tick: ${summary.accounts} accounts, ${summary.allotments} allotments (${summary.fastAccounts} set-based, ` +
        `${summary.slowAccounts} one by one) in ${seconds} s = ${Math.round(summary.accounts / seconds)}/s`,
    );
    if (flags['profile'] === true) for (const line of client.times.report()) say(`profile: ${line}`);
    if (summary.failures.length > 0) throw new Error(`tick failures: ${JSON.stringify(summary.failures[0])}`);
    await verify(store, accounts);
    const baselineSeconds = await baseline(store, accounts);
    const floorSeconds = await floor(store);
    await store.close();
    const ratioTo = (other: number) => Math.round((seconds / other) * 100) / 100;
    const base = { name: 'INSERT ... SELECT', rows: accounts, seconds: baselineSeconds };
    const floorRun = {
      name: 'the same rows by plain SQL',
      seconds: floorSeconds,
      ratio: ratioTo(floorSeconds),
    };
    say(
      JSON.stringify({
        name: 'tick',
        store: engine,
        accounts,
        seconds,
        baseline: base,
        ratio: ratioTo(baselineSeconds),
        floor: floorRun,
      }),
    );
  } finally {
    await scratch?.drop();
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
}
