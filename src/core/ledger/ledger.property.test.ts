import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyAccount, type AccountState, type Entry } from '../types.ts';
import { applyOperation } from './apply.ts';
import { balanceAsOf, balanceAt } from './balance.ts';
import { isSpendable } from './lot-order.ts';
import type { Operation } from './operations.ts';
import { replay } from './replay.ts';
import { DAY, T0 } from './test-kit.ts';

/** Random steps: an operation template and how far the clock moves first. */
type Step =
  | { t: 'grant'; amount: number; lifetimeDays: number; backdateDays: number; cap: number | null }
  | { t: 'debit'; amount: number }
  | { t: 'hold'; id: number; amount: number }
  | { t: 'capture' | 'release'; id: number }
  | { t: 'refund'; pick: number; fresh: boolean }
  | { t: 'sweep'; limit: number }
  | { t: 'rollover'; cap: number }
  | { t: 'adjust'; delta: number }
  | { t: 'correct_lot'; action: 'void' | 'expire' | 'extend'; pick: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    t: fc.constant('grant' as const),
    amount: fc.integer({ min: 1, max: 60 }),
    lifetimeDays: fc.integer({ min: 1, max: 90 }),
    backdateDays: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })),
    cap: fc.option(fc.integer({ min: 0, max: 150 }), { freq: 4 }),
  }),
  fc.record({ t: fc.constant('debit' as const), amount: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ t: fc.constant('hold' as const), id: fc.nat(9), amount: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ t: fc.constantFrom('capture' as const, 'release' as const), id: fc.nat(9) }),
  fc.record({ t: fc.constantFrom('capture' as const, 'release' as const), id: fc.nat(9) }),
  fc.record({ t: fc.constant('refund' as const), pick: fc.nat(), fresh: fc.boolean() }),
  fc.record({ t: fc.constant('sweep' as const), limit: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant('rollover' as const), cap: fc.integer({ min: 0, max: 100 }) }),
  fc.record({
    t: fc.constant('adjust' as const),
    delta: fc.integer({ min: -30, max: 30 }).filter((d) => d !== 0),
  }),
  fc.record({
    t: fc.constant('correct_lot' as const),
    action: fc.constantFrom('void' as const, 'expire' as const, 'extend' as const),
    pick: fc.nat(),
  }),
);
const scriptArb = fc.array(fc.tuple(stepArb, fc.integer({ min: 0, max: 20 * DAY })), {
  maxLength: 60,
  size: 'large',
});

interface Run {
  state: AccountState;
  entries: Entry[];
  refunded: Set<number>;
  now: number;
  snapshots: { now: number; state: AccountState; backdated: boolean }[];
  failures: number;
}

function toOperation(step: Step, run: Run): Operation | null {
  switch (step.t) {
    case 'grant': {
      const issuedAt = run.now - step.backdateDays * DAY;
      const expiresAt = issuedAt + step.lifetimeDays * DAY;
      return {
        kind: 'grant',
        amount: step.amount,
        source: 'allotment',
        category: 'free',
        issuedAt,
        expiresAt,
        holdingCap: step.cap,
      };
    }
    case 'debit':
      return { kind: 'debit', amount: step.amount };
    case 'hold':
      return { kind: 'hold', holdId: `h${step.id}`, amount: step.amount };
    case 'capture':
    case 'release':
      return { kind: step.t, holdId: `h${step.id}` };
    case 'refund': {
      // A use case refunds each debit at most once (its idempotency key); model that.
      const debits = run.entries.filter((e) => e.type === 'debit' && !run.refunded.has(e.seq));
      const debit = debits[step.pick % Math.max(1, debits.length)];
      if (debit === undefined) return null;
      run.refunded.add(debit.seq);
      const fresh = { mode: 'fresh_lot' as const, freshExpiresAt: run.now + 30 * DAY };
      return {
        kind: 'refund',
        draws: debit.postings,
        ...(step.fresh ? fresh : { mode: 'reinstate' as const }),
      };
    }
    case 'sweep':
      return { kind: 'sweep', limit: step.limit };
    case 'rollover':
      return { kind: 'rollover', cap: step.cap };
    case 'adjust':
      return { kind: 'adjust', delta: step.delta, expiresAt: run.now + 40 * DAY, reason: 'test' };
    case 'correct_lot': {
      // Any lot number issued so far, or the next one (unknown): refusals are part of the property.
      const lotNo = 1 + (step.pick % run.state.nextLotNo);
      if (step.action === 'extend') {
        const days = 1 + (step.pick % 400);
        return { kind: 'extend_lot', lotNo, expiresAt: run.now + days * DAY, reason: 'lot correction' };
      }
      return {
        kind: 'correct_lot',
        action: step.action,
        lotNo,
        reason: 'lot correction',
      };
    }
  }
}

function execute(script: [Step, number][]): Run {
  const run: Run = {
    state: emptyAccount('fl'),
    entries: [],
    refunded: new Set(),
    now: T0,
    snapshots: [],
    failures: 0,
  };
  for (const [step, advance] of script) {
    run.now += advance;
    const op = toOperation(step, run);
    if (op === null) continue;
    const before = structuredClone(run.state);
    const result = applyOperation(run.state, op, run.now);
    if (!result.ok) {
      run.failures += 1;
      expect(run.state).toEqual(before); // a failed operation changes nothing
      continue;
    }
    run.state = result.value.state;
    run.entries.push(...result.value.entries);
    run.snapshots.push({
      now: run.now,
      state: run.state,
      backdated: step.t === 'grant' && step.backdateDays > 0,
    });
  }
  return run;
}

/** Tallies flows by entry type, independently of the balance fields. */
function tally(entries: readonly Entry[]) {
  const t = { credited: 0, refunded: 0, spent: 0, expired: 0, forfeited: 0, heldNet: 0 };
  for (const e of entries) {
    if (e.type === 'grant') t.credited += e.amount;
    else if (e.type === 'adjustment' && e.lot) t.credited += e.amount;
    else if (e.type === 'adjustment') t.spent += e.amount;
    else if (e.type === 'refund') t.refunded += e.amount;
    else if (e.type === 'debit') t.spent += e.amount;
    else if (e.type === 'hold_capture') t.spent += e.amount;
    if (e.type === 'hold_capture') t.heldNet -= e.amount;
    else if (e.type === 'hold') t.heldNet += e.amount;
    else if (e.type === 'hold_release') t.heldNet -= e.amount;
    else if (e.type === 'expiry') t.expired += e.amount;
    else if (e.type === 'forfeit') t.forfeited += e.amount;
  }
  return t;
}

const runs = { numRuns: 400 };

describe('ledger properties (random operation sequences and times)', () => {
  it('balance equals the sum of spendable lots plus active holds, and is never negative', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const run = execute(script);
        for (const { now, state } of run.snapshots) {
          const spendable = state.lots
            .filter((l) => isSpendable(l, now))
            .reduce((s, l) => s + l.remaining, 0);
          const held = state.holds.filter((h) => h.status === 'active').reduce((s, h) => s + h.amount, 0);
          expect(balanceAt(state, now)).toEqual({ balance: spendable + held, available: spendable, held });
          for (const lot of state.lots) expect(lot.remaining).toBeGreaterThanOrEqual(0);
        }
        for (const e of run.entries) {
          expect(
            Math.min(e.balanceBefore, e.balanceAfter, e.availableBefore, e.availableAfter),
          ).toBeGreaterThanOrEqual(0);
        }
      }),
      runs,
    );
  });

  it('conserves Connects: credited + refunded = remaining + held + spent + expired', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const run = execute(script);
        const t = tally(run.entries);
        const remaining = run.state.lots.reduce((s, l) => s + l.remaining, 0);
        const held = run.state.holds.filter((h) => h.status === 'active').reduce((s, h) => s + h.amount, 0);
        expect(t.heldNet).toBe(held);
        expect(t.credited + t.refunded).toBe(remaining + held + t.spent + t.expired);
        // The entries chain: each entry starts where the previous one ended.
        run.entries.forEach((e, i) => {
          expect(e.seq).toBe(i + 1);
          if (i > 0) expect(e.balanceBefore).toBe(run.entries[i - 1]!.balanceAfter);
        });
      }),
      runs,
    );
  });

  it('replaying the same entries gives the same state', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scriptArb, (script) => {
        const run = execute(script);
        for (const e of run.entries) seen.add(`${e.type}:${e.reason ?? ''}`);
        expect(replay('fl', run.entries)).toEqual(run.state);
      }),
      runs,
    );
    // The generator must reach every kind of entry, or the properties prove little.
    expect([...seen].sort()).toEqual(
      [
        'adjustment:test',
        'adjustment:lot correction',
        'debit:',
        'expiry:lifetime',
        'expiry:rollover_cap',
        'expiry:lot correction',
        'forfeit:holding_cap',
        'grant:',
        'hold:',
        'hold_capture:',
        'hold_release:',
        'refund:',
      ].sort(),
    );
  });

  it('as-of balances from history match the live balance at each past instant', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const run = execute(script);
        // A backdated grant rewrites the past it is effective in, so only check
        // instants after the last one.
        const lastBackdated = run.snapshots.findLastIndex((s) => s.backdated);
        // As-of answers for the end of an instant: compare with the last state at each instant.
        const checked = run.snapshots
          .slice(lastBackdated + 1)
          .filter((s, i, all) => all[i + 1]?.now !== s.now);
        for (const { now, state } of checked) {
          expect(balanceAsOf([], run.entries, now)).toEqual(balanceAt(state, now));
        }
      }),
      runs,
    );
  });
});
