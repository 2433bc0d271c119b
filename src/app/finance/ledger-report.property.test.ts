import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { Operation } from '../../core/ledger/operations.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import type { Posting } from '../../core/types.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { getBalance } from '../accounts/get-balance.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { LedgerPlan } from '../boosts/ledger-plan.ts';
import { buyConnects } from '../purchases/buy-connects.ts';
import { refundPurchase } from '../purchases/refund-purchase.ts';
import { testContext, type TestContext } from '../purchases/test-kit.ts';
import { getLedgerReport, type LedgerReport } from './get-ledger-report.ts';
import { lotUnitCosts } from './lot-costs.ts';
import { monthOf } from './report-month.ts';

/**
 * For random histories over several months and accounts (grants, purchases,
 * spends, holds and their settlement, refunds into the same or fresh lots,
 * chargebacks, expiries, adjustments, lot corrections), driven by a manual
 * clock: every month's roll-forward balances to zero, paid + free is the
 * total, each closing is the next opening, and the closing balances equal
 * the sum over accounts of their own balances as of the month's end.
 */

type Step =
  | { kind: 'grant'; amount: number; days: number; source: 'promo' | 'admin' | 'signup' }
  | { kind: 'buy'; connects: number }
  | { kind: 'debit'; amount: number; badge: boolean }
  | { kind: 'hold'; amount: number }
  | { kind: 'settle'; pick: number; capture: boolean }
  | { kind: 'refund'; pick: number; fresh: boolean }
  | { kind: 'chargeback'; pick: number }
  | { kind: 'adjust'; delta: number }
  | { kind: 'correct'; lotNo: number; action: 'void' | 'expire' | 'extend' }
  | { kind: 'sweep' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('grant' as const),
    amount: fc.integer({ min: 1, max: 20 }),
    days: fc.integer({ min: 3, max: 90 }),
    source: fc.constantFrom('promo' as const, 'admin' as const, 'signup' as const),
  }),
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('buy' as const), connects: fc.integer({ min: 10, max: 60 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('debit' as const),
      amount: fc.integer({ min: 1, max: 60 }),
      badge: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('hold' as const), amount: fc.integer({ min: 1, max: 40 }) }),
  },
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), capture: fc.boolean() }),
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), fresh: fc.boolean() }),
  },
  fc.record({ kind: fc.constant('chargeback' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('adjust' as const),
    delta: fc.integer({ min: -15, max: 15 }).filter((d) => d !== 0),
  }),
  fc.record({
    kind: fc.constant('correct' as const),
    lotNo: fc.integer({ min: 1, max: 8 }),
    action: fc.constantFrom('void' as const, 'expire' as const, 'extend' as const),
  }),
  fc.constant({ kind: 'sweep' as const }),
);

const historyArb = fc.array(
  fc.record({
    account: fc.integer({ min: 0, max: 2 }),
    gapHours: fc.integer({ min: 0, max: 30 * 24 }),
    step: stepArb,
  }),
  { minLength: 24, maxLength: 40, size: 'max' },
);

const T0 = Date.UTC(2026, 0, 5, 9);
const card = '4242424242424242';

/** What one run remembers to settle, refund or charge back later. */
interface Memory {
  holds: { account: string; holdId: string }[];
  debits: { account: string; draws: readonly Posting[]; ref: string }[];
  purchases: { account: string; purchaseId: string }[];
}

async function apply(ctx: TestContext, account: string, step: Step, now: Instant, tag: string, mem: Memory) {
  const store = ctx.store;
  const exec = (op: Operation) => store.execute({ account, op, now });
  switch (step.kind) {
    case 'grant':
      await exec({
        kind: 'grant',
        amount: step.amount,
        source: step.source,
        category: 'free',
        expiresAt: now + step.days * MS_PER_DAY,
      });
      return;
    case 'buy': {
      const purchaseId = `${tag}-p`;
      const bought = await buyConnects(
        ctx,
        { freelancerId: account, purchaseId, connects: step.connects, card },
        now,
      );
      if (bought.ok) mem.purchases.push({ account, purchaseId });
      return;
    }
    case 'debit': {
      const ref = `proposal:${tag}`;
      const reason = step.badge ? 'availability_badge' : 'proposal';
      const done = await exec({ kind: 'debit', amount: step.amount, ref, reason });
      const entry = done.ok ? done.value.entries.find((e) => e.type === 'debit') : undefined;
      if (entry !== undefined) mem.debits.push({ account, draws: entry.postings, ref });
      return;
    }
    case 'hold': {
      const holdId = `boost:${tag}`;
      const held = await exec({ kind: 'hold', holdId, amount: step.amount, ref: `proposal:${tag}` });
      if (held.ok) mem.holds.push({ account, holdId });
      return;
    }
    case 'settle': {
      const hold = mem.holds.splice(step.pick % Math.max(1, mem.holds.length), 1)[0];
      if (hold === undefined) return;
      const op: Operation = { kind: step.capture ? 'capture' : 'release', holdId: hold.holdId };
      await store.execute({ account: hold.account, op, now });
      return;
    }
    case 'refund': {
      const debit = mem.debits.splice(step.pick % Math.max(1, mem.debits.length), 1)[0];
      if (debit === undefined) return;
      const base = { kind: 'refund' as const, draws: debit.draws, ref: debit.ref, reason: 'job_cancelled' };
      if (!step.fresh) {
        await store.execute({ account: debit.account, op: { ...base, mode: 'reinstate' }, now });
        return;
      }
      // Through the plan the use cases use, which records the fresh paid lots' cost basis.
      const op: Operation = { ...base, mode: 'fresh_lot', freshExpiresAt: now + 200 * MS_PER_DAY };
      await store.transaction((tx) =>
        new LedgerPlan().add(debit.account, op).apply(tx, now, `cancel:${tag}`),
      );
      return;
    }
    case 'chargeback': {
      const p = mem.purchases.splice(step.pick % Math.max(1, mem.purchases.length), 1)[0];
      if (p === undefined) return;
      await refundPurchase(
        ctx,
        { freelancerId: p.account, purchaseId: p.purchaseId, reason: 'chargeback' },
        now,
      );
      return;
    }
    case 'adjust':
      await exec({ kind: 'adjust', delta: step.delta, expiresAt: now + 60 * MS_PER_DAY, reason: 'fix' });
      return;
    case 'correct':
      await exec(
        step.action === 'extend'
          ? { kind: 'extend_lot', lotNo: step.lotNo, expiresAt: now + 100 * MS_PER_DAY, reason: 'goodwill' }
          : { kind: 'correct_lot', action: step.action, lotNo: step.lotNo, reason: 'mistake' },
      );
      return;
    case 'sweep':
      await store.sweepExpired(now, 1000);
      return;
  }
}

/** Value at cost of what an account holds now: its lots' remaining Connects and its active holds. */
async function valueNow(ctx: TestContext, account: string): Promise<number> {
  const lots = await ctx.store.lots(account, { withRemaining: true });
  const { rows } = await ctx.store.query<{ draws: Posting[] }>(
    `SELECT draws FROM holds WHERE account = $1 AND status = 'active'`,
    [account],
  );
  const draws = rows.flatMap((r) => r.draws);
  const costs = await lotUnitCosts(ctx.store, account, [
    ...lots.map((l) => l.lotNo),
    ...draws.map((d) => d.lotNo),
  ]);
  const inLots = lots.reduce((sum, l) => sum + l.remaining * (costs.get(l.lotNo) ?? 0), 0);
  return draws.reduce((sum, d) => sum - d.amount * (costs.get(d.lotNo) ?? 0), inLots);
}

function months(from: Instant, to: Instant): string[] {
  const list: string[] = [];
  for (let m = monthOf(from); ;) {
    list.push(m);
    if (m === monthOf(to)) return list;
    const [y, mm] = m.split('-').map(Number) as [number, number];
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
}

describe.each(testEngines)('the ledger report on $name, for random histories', (engine) => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await engine.open();
  });
  afterAll(() => opened.cleanup());

  it('balances every month, chains the months and equals the sum over accounts', async () => {
    let run = 0;
    // Each run adds accounts of its own; the report covers every account in the database.
    const everyone: string[] = [];
    const clock = new ManualClock(T0);
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        run += 1;
        const ctx = testContext(opened.store);
        const accounts = [0, 1, 2].map((i) => `rp${run}-${i}`);
        const start = clock.now();
        for (const id of accounts) {
          const registered = await registerFreelancer(ctx, { id }, start);
          if (!registered.ok) throw new Error(registered.error.message);
        }
        everyone.push(...accounts);
        const mem: Memory = { holds: [], debits: [], purchases: [] };
        for (const [i, { account, gapHours, step }] of history.entries()) {
          clock.set(clock.now() + gapHours * 3_600_000);
          await apply(ctx, accounts[account] as string, step, clock.now(), `r${run}s${i}`, mem);
        }
        // Materialise every expiry due, so each account's as-of balance is its book balance.
        clock.set(clock.now() + 3_600_000);
        const now = clock.now();
        await opened.store.sweepExpired(now, 1000);

        let previous: LedgerReport | null = null;
        for (const month of months(T0, now)) {
          const result = await getLedgerReport(ctx, { month }, now);
          if (!result.ok) throw new Error(result.error.message);
          const r = result.value;
          expect(r.check, month).toEqual({ connects: 0, cents: 0 });
          for (const s of [r.opening, r.closing]) {
            expect(s.paid.connects + s.free.connects, month).toBe(s.total.connects);
            expect(s.free.cents, month).toBe(0);
          }
          expect(r.deferredRevenue.closingCents).toBe(r.closing.paid.cents);
          if (previous === null) expect(r.opening.total).toEqual({ connects: 0, cents: 0 });
          else expect(r.opening, month).toEqual(previous.closing);
          let sum = 0;
          const asOf = Math.min(r.until - 1, now);
          for (const id of everyone) {
            const b = await getBalance(ctx, { freelancerId: id, asOf }, now);
            if (!b.ok) throw new Error(b.error.message);
            sum += b.value.balance;
          }
          expect(r.closing.total.connects, month).toBe(sum);
          previous = r;
        }
        // The last month holds now: its closing is what the accounts hold, valued lot by lot.
        let cents = 0;
        for (const id of everyone) cents += await valueNow(ctx, id);
        expect(previous?.closing.total.cents).toBe(cents);
        clock.set(now + 40 * MS_PER_DAY);
      }),
      { numRuns: 5, endOnFailure: true },
    );
  }, 600_000);
});
