// Before any use case's schemas exist (see commands/index.ts).
import '@hono/zod-openapi';
import { afterEach, describe, expect, it } from 'vitest';
import { registerFreelancer } from '../../app/accounts/register-freelancer.ts';
import type { PurchaseContext } from '../../app/purchases/buy-connects.ts';
import { MS_PER_DAY } from '../../core/time.ts';
import { runCli } from '../run.ts';
import { fakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';
import { cliTestStores, type CliTestStore } from './support/cli-test-stores.ts';

const T0 = Date.UTC(2026, 0, 10, 9);
const ACCOUNTS = ['acct-a', 'acct-b', 'acct-c', 'acct-d', 'acct-e'];

/** Every kind of entry the store writes, with idempotency keys, on each account. */
async function writeHistory(ctx: PurchaseContext): Promise<void> {
  for (const id of ACCOUNTS) {
    const done = await registerFreelancer(ctx, { id, registeredAt: T0 }, T0);
    if (!done.ok) throw new Error(done.error.message);
    const run = async (n: number, op: Parameters<typeof ctx.store.execute>[0]['op']) => {
      const result = await ctx.store.execute({
        account: id,
        op,
        now: T0 + n * 1000,
        idempotencyKey: `k-${n}`,
      });
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    };
    const expiresAt = T0 + 365 * MS_PER_DAY;
    await run(1, { kind: 'grant', amount: 40, source: 'purchase', category: 'paid', expiresAt });
    const debit = await run(2, { kind: 'debit', amount: 12, ref: 'proposal:1' });
    await run(3, { kind: 'hold', holdId: 'h1', amount: 5 });
    await run(4, { kind: 'capture', holdId: 'h1' });
    await run(5, { kind: 'hold', holdId: 'h2', amount: 3 });
    await run(6, { kind: 'release', holdId: 'h2' });
    await run(7, { kind: 'hold', holdId: 'h3', amount: 2 });
    await run(8, { kind: 'refund', draws: debit.entries[0]?.postings ?? [], mode: 'reinstate' });
    // A lot that expires: the next operation materialises its expiry first.
    await run(9, { kind: 'grant', amount: 4, source: 'promo', category: 'free', expiresAt: T0 + 20_000 });
    await run(30, { kind: 'debit', amount: 1 });
  }
}

interface Verified {
  code: number;
  report: {
    ok: boolean;
    accounts: number;
    discrepancyCount: number;
    discrepancies: { account: string | null; kind: string }[];
  };
  err: string;
}

async function verify(store: CliTestStore, batchSize = '2'): Promise<Verified> {
  const io = fakeIo(store.env);
  const code = await runCli(['verify', '--json', '--batch-size', batchSize], io, commands);
  return { code, report: JSON.parse(io.out.join('')) as Verified['report'], err: io.err.join('') };
}

describe.each(cliTestStores)('connects verify ($name)', ({ open }) => {
  let store: CliTestStore | undefined;
  afterEach(async () => {
    await store?.cleanup();
    store = undefined;
  });

  it('passes a clean store and reports each corrupted row with its kind', async () => {
    const opened = await open();
    store = opened;
    await opened.seed(writeHistory);

    const clean = await verify(opened);
    expect(clean.report.discrepancies).toEqual([]);
    expect(clean.code).toBe(0);
    expect(clean.report.accounts).toBe(ACCOUNTS.length);
    expect(clean.err).toMatch(/Verified 5\/5 accounts \(\d+ accounts\/s\)/);

    await opened.seed(async (ctx) => {
      await ctx.store.query('ALTER TABLE entries DISABLE TRIGGER entries_append_only');
      await ctx.store.query(
        "UPDATE lots SET remaining = remaining - 1 WHERE account = 'acct-a' AND lot_no = 2",
      );
      await ctx.store.query("DELETE FROM entries WHERE account = 'acct-b' AND seq = 3");
      await ctx.store.query(
        `UPDATE idempotency SET result = jsonb_set(jsonb_set(result, '{firstSeq}', '90'), '{lastSeq}', '90')
         WHERE scope = 'acct-c' AND key = 'k-2'`,
      );
      await ctx.store.query(
        `UPDATE entries SET balance_after = balance_after + 5
         WHERE account = 'acct-d' AND seq = (SELECT max(seq) FROM entries WHERE account = 'acct-d')`,
      );
      await ctx.store.query(
        `INSERT INTO idempotency (scope, key, request_hash, result, created_at)
         VALUES ('zz-ghost', 'k-1', 'x', '{"firstSeq": 1, "lastSeq": 1, "balance": {}}', 0)`,
      );
      await ctx.store.query(
        `INSERT INTO lots (account, lot_no, source, category, amount, remaining, issued_at, expires_at)
         VALUES ('acct-bb', 1, 'purchase', 'paid', 5, 5, 0, 10)`,
      );
      await ctx.store.query('ALTER TABLE entries ENABLE TRIGGER entries_append_only');
    });

    const corrupt = await verify(opened);
    expect(corrupt.code).toBe(1);
    expect(corrupt.report.ok).toBe(false);
    const kinds = (account: string | null) =>
      new Set(corrupt.report.discrepancies.filter((d) => d.account === account).map((d) => d.kind));
    expect(kinds('acct-a')).toEqual(new Set(['lot', 'conservation', 'balance_head']));
    expect(kinds('acct-b')).toContain('sequence_gap');
    expect(kinds('acct-c')).toEqual(new Set(['idempotency']));
    expect(kinds('acct-d')).toEqual(new Set(['balance_head']));
    expect(kinds('acct-e')).toEqual(new Set());
    expect(kinds('zz-ghost')).toEqual(new Set(['idempotency']));
    expect(kinds('acct-bb')).toEqual(new Set(['orphan_rows']));
    expect(kinds(null)).toEqual(new Set(['total_conservation']));
    expect(corrupt.report.discrepancyCount).toBe(corrupt.report.discrepancies.length);
    // Batch edges change nothing: one batch of all five accounts, then an empty one, finds the same.
    expect((await verify(opened, '5')).report.discrepancies).toEqual(corrupt.report.discrepancies);
    expect(corrupt.report.discrepancies).toContainEqual({
      account: 'acct-a',
      kind: 'lot',
      what: 'lot 2 remaining',
      expected: expect.any(Number),
      found: expect.any(Number),
    });
  });
});

describe('connects verify beside writes (postgres)', () => {
  let store: CliTestStore | undefined;
  afterEach(async () => {
    await store?.cleanup();
    store = undefined;
  });

  it('finds nothing while operations land on the accounts it reads', async () => {
    const opened = await cliTestStores[1].open();
    store = opened;
    await opened.seed(writeHistory);
    const outcome = await opened.seed(async (ctx) => {
      let done = false;
      let writes = 0;
      const writer = (async () => {
        for (let n = 100; !done; n += 1) {
          for (const account of ACCOUNTS) {
            const op =
              n % 2 === 0
                ? { kind: 'debit' as const, amount: 1 }
                : {
                    kind: 'grant' as const,
                    amount: 2,
                    source: 'purchase' as const,
                    category: 'paid' as const,
                    expiresAt: T0 + 365 * MS_PER_DAY,
                  };
            const result = await ctx.store.execute({
              account,
              op,
              now: T0 + n * 1000,
              idempotencyKey: `w-${n}`,
            });
            if (!result.ok) throw new Error(result.error.message);
            writes += 1;
          }
        }
      })();
      const runs: Verified[] = [];
      try {
        for (let i = 0; i < 5; i++) runs.push(await verify(opened, '1'));
      } finally {
        done = true;
        await writer;
      }
      return { runs, writes };
    });
    expect(outcome.writes).toBeGreaterThan(0);
    for (const run of outcome.runs) {
      expect(run.report.discrepancies).toEqual([]);
      expect(run.code).toBe(0);
    }
  });
});
