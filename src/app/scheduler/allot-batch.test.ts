import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../core/ledger/operations.ts';
import { createTimeline } from '../../core/policy/timeline.ts';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { allEntries, at, freshId, testContext, type TestContext } from '../accounts/test-kit.ts';
import { allotRange, nextRange } from './allot-batch.ts';
import { fastAllotment } from './fast-allotment.ts';
import { renewAccount } from './renew-account.ts';

/**
 * Contract: the set-based renewal writes exactly what the per-account core
 * path writes. Twin accounts get identical random histories; one twin is
 * renewed by `renewAccount` (tx.applyOps), the other by `allotBatch`, and
 * their entries, lots, holds and bookkeeping rows must match field by field.
 */

const registeredAt = at('2026-01-15T10:00:00Z');
const start = at('2026-02-15T00:00:00Z');
const now = at('2026-02-20T09:30:00Z');

type Step =
  | { kind: 'grant'; amount: number; lifetimeDays: number }
  | { kind: 'debit'; amount: number }
  | { kind: 'hold'; amount: number }
  | { kind: 'settle'; capture: boolean }
  | { kind: 'sweep' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('grant' as const),
    amount: fc.integer({ min: 1, max: 60 }),
    lifetimeDays: fc.integer({ min: 1, max: 400 }),
  }),
  fc.record({ kind: fc.constant('debit' as const), amount: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('hold' as const), amount: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('settle' as const), capture: fc.boolean() }),
  fc.constant({ kind: 'sweep' as const }),
);

/** Turns steps into operations at increasing times between registration and now. */
function script(steps: readonly Step[]): [Operation, Instant][] {
  const span = now - registeredAt - 1000;
  let holds = 0;
  let settled = 0;
  return steps.map((step, i): [Operation, Instant] => {
    const t = registeredAt + 1000 + Math.floor((span * (i + 1)) / (steps.length + 1));
    switch (step.kind) {
      case 'grant':
        return [
          {
            kind: 'grant',
            amount: step.amount,
            source: 'purchase',
            category: 'paid',
            expiresAt: t + step.lifetimeDays * MS_PER_DAY,
            ref: `p${i}`,
          },
          t,
        ];
      case 'debit':
        return [{ kind: 'debit', amount: step.amount, ref: `job-${i}` }, t];
      case 'hold':
        holds += 1;
        return [{ kind: 'hold', holdId: `h${holds}`, amount: step.amount, ref: `boost-${i}` }, t];
      case 'settle': {
        settled = Math.min(holds, settled + 1);
        const holdId = `h${Math.max(1, settled)}`;
        return [step.capture ? { kind: 'capture', holdId } : { kind: 'release', holdId }, t];
      }
      case 'sweep':
        return [{ kind: 'sweep', limit: 1000 }, t];
    }
  });
}

describe.each(testEngines)('set-based allotment contract on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  async function twin(ops: readonly [Operation, Instant][]): Promise<string> {
    const id = freshId('twin');
    expect((await registerFreelancer(ctx, { id }, registeredAt)).ok).toBe(true);
    // Failing operations (an overdraft, a settled hold) fail alike on both twins.
    for (const [op, t] of ops) await ctx.store.execute({ account: id, op, now: t });
    return id;
  }

  async function bookkeeping(id: string) {
    const f = await ctx.store.query(
      'SELECT plan, last_allotted_cycle, next_cycle_at FROM freelancers WHERE id = $1',
      [id],
    );
    const a = await ctx.store.query('SELECT seq, next_lot_no FROM accounts WHERE account = $1', [id]);
    return { freelancer: f.rows[0], account: a.rows[0] };
  }

  it('writes the same entries, lots, holds and bookkeeping as the core for random histories', async () => {
    const histories = fc.sample(fc.array(stepArb, { maxLength: 14 }), { numRuns: 40, seed: 4242 });
    const pairs: [string, string][] = [];
    for (const steps of histories) {
      const ops = script(steps);
      pairs.push([await twin(ops), await twin(ops)]);
    }
    for (const [, core] of pairs) {
      const report = await renewAccount(ctx, core, now);
      expect(report.cycles).toBe(1);
    }
    const fast = fastAllotment(ctx.timeline, start, now);
    expect(fast).toEqual({
      start,
      amount: 10,
      expiresAt: at('2027-02-15T00:00:00Z'),
      nextAt: at('2026-03-15T00:00:00Z'),
      reason: 'plan:basic',
    });
    if (fast === null) return;
    const range = await nextRange(ctx.store, start, '', 1000);
    expect(range?.count).toBe(pairs.length);
    if (range === null) return;
    const batch = await allotRange(ctx.store, now, fast, range);
    // Accounts with an unswept due lot go one by one; the rest were set-based.
    for (const id of batch.slow) await renewAccount(ctx, id, now);
    expect(batch.renewed + batch.slow.length).toBe(pairs.length);
    expect(batch.renewed).toBeGreaterThan(pairs.length / 2);
    for (const [viaBatch, viaCore] of pairs) {
      expect(await allEntries(ctx.store, viaBatch)).toEqual(await allEntries(ctx.store, viaCore));
      expect(await ctx.store.lots(viaBatch)).toEqual(await ctx.store.lots(viaCore));
      expect(await ctx.store.holds(viaBatch, { includeSettled: true })).toEqual(
        await ctx.store.holds(viaCore, { includeSettled: true }),
      );
      expect(await bookkeeping(viaBatch)).toEqual(await bookkeeping(viaCore));
    }
  });

  it('hands accounts without a ledger row to the per-account path', async () => {
    // Nothing at registration (no signup, no allotment), 10 a cycle from Feb 1.
    const quiet = {
      ...defaultPolicy,
      id: 'quiet',
      effectiveFrom: '2020-01-01T00:00:00.000Z',
      grants: { ...defaultPolicy.grants, signup: 0 },
      plans: { ...defaultPolicy.plans, basic: { ...defaultPolicy.plans.basic, allotment: 0 } },
    };
    const timeline = createTimeline([
      quiet,
      { ...defaultPolicy, id: 'later', effectiveFrom: '2026-02-01T00:00:00.000Z' },
    ]);
    expect(timeline.ok).toBe(true);
    if (!timeline.ok) return;
    const local = { ...ctx, timeline: timeline.value };
    const id = freshId('quiet');
    expect((await registerFreelancer(local, { id }, at('2026-01-20T10:00:00Z'))).ok).toBe(true);
    expect(await ctx.store.lots(id)).toEqual([]);
    const fast = fastAllotment(timeline.value, at('2026-02-20T00:00:00Z'), at('2026-02-20T00:00:00Z'));
    if (fast === null) throw new Error('expected the set-based path');
    const range = await nextRange(ctx.store, fast.start, '', 10);
    if (range === null) throw new Error('expected a due account');
    expect(await allotRange(ctx.store, at('2026-02-20T00:00:00Z'), fast, range)).toEqual({
      renewed: 0,
      slow: [id],
    });
    // Handed back untouched: still due, no ledger row, for renewAccount to do.
    expect(await nextRange(ctx.store, fast.start, '', 10)).toMatchObject({ count: 1 });
    await renewAccount(local, id, at('2026-02-20T00:00:00Z'));
    expect((await ctx.store.lots(id)).map((lot) => [lot.source, lot.amount, lot.issuedAt])).toEqual([
      ['allotment', 10, at('2026-02-20T00:00:00Z')],
    ]);
  });
});
