import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../core/types.ts';
import { defaultPolicy, eras } from '../../core/policy/eras.ts';
import { createTimeline, type PolicyTimeline } from '../../core/policy/timeline.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { allEntries, at, freshId, testContext, type TestContext } from '../accounts/test-kit.ts';
import { tick } from './tick.ts';

const iso = (t: number) => new Date(t).toISOString();
/** [type, amount, postings, balanceBefore, balanceAfter, effectiveAt, ref, reason] */
const rows = (entries: readonly Entry[]) =>
  entries.map((e) => [
    e.type,
    e.amount,
    e.postings.map((p) => [p.lotNo, p.amount]),
    e.balanceBefore,
    e.balanceAfter,
    iso(e.effectiveAt),
    e.ref,
    e.reason,
  ]);

function timeline(policies: readonly unknown[]): PolicyTimeline {
  const built = createTimeline(policies);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

const era2021 = eras.find((p) => p.id === 'era-2021');
if (era2021 === undefined) throw new Error('the 2021 era is missing');

/**
 * Caps of older policies (rules.md 1.9, 6), on custom timelines so they apply in
 * 2026. Each test has its own database: a tick under one timeline would
 * renew other tests' accounts by its rules.
 */
describe.each(testEngines)('tick under capped policies on $name', (engine) => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await engine.open();
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  async function register(ctx: TestContext, registeredAt: string): Promise<string> {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, at(registeredAt))).ok).toBe(true);
    return id;
  }

  it('2021 era: Connects above the rollover cap of 200 expire at renewal, soonest first, before the allotment', async () => {
    // The 2021 rules until Apr 1 2026, then the uncapped 2023 default.
    const ctx = testContext(opened.store, {
      timeline: timeline([
        { ...era2021, effectiveFrom: '2008-01-01T00:00:00.000Z' },
        { ...defaultPolicy, effectiveFrom: '2026-04-01T00:00:00.000Z' },
      ]),
    });
    const id = await register(ctx, '2026-01-15T10:00:00Z');
    const bought = {
      kind: 'grant',
      amount: 300,
      source: 'purchase',
      category: 'paid',
      expiresAt: at('2027-03-01T00:00:00Z'),
    } as const;
    await ctx.store.execute({
      account: id,
      op: { ...bought, ref: 'purchase:p1' },
      now: at('2026-01-20T00:00:00Z'),
    });
    await tick(ctx, at('2026-02-15T00:05:00Z'));
    await tick(ctx, at('2026-03-15T00:00:00Z'));
    await tick(ctx, at('2026-04-15T00:00:00Z'));
    expect(rows((await allEntries(ctx.store, id)).slice(3))).toEqual([
      [
        'expiry',
        150,
        [
          [1, -40],
          [2, -10],
          [3, -100],
        ],
        350,
        200,
        // Judged at the cycle start, though the tick ran five minutes later.
        '2026-02-15T00:00:00.000Z',
        'cycle:1',
        'rollover_cap',
      ],
      ['grant', 10, [[4, 10]], 200, 210, '2026-02-15T00:00:00.000Z', 'cycle:1', 'plan:basic'],
      // Feb's allotment (expires Feb 2027) goes before the purchase (Mar 2027).
      ['expiry', 10, [[4, -10]], 210, 200, '2026-03-15T00:00:00.000Z', 'cycle:2', 'rollover_cap'],
      ['grant', 10, [[5, 10]], 200, 210, '2026-03-15T00:00:00.000Z', 'cycle:2', 'plan:basic'],
      // April: the 2023 policy has no cap.
      ['grant', 10, [[6, 10]], 210, 220, '2026-04-15T00:00:00.000Z', 'cycle:3', 'plan:basic'],
    ]);
  });

  it('applies the cap of each renewal while catching up missed cycles', async () => {
    const ctx = testContext(opened.store, {
      timeline: timeline([{ ...era2021, effectiveFrom: '2008-01-01T00:00:00.000Z' }]),
    });
    const id = await register(ctx, '2026-05-03T08:00:00Z');
    const bought = {
      kind: 'grant',
      amount: 190,
      source: 'purchase',
      category: 'paid',
      expiresAt: at('2027-06-01T00:00:00Z'),
    } as const;
    await ctx.store.execute({ account: id, op: bought, now: at('2026-05-04T00:00:00Z') });
    await tick(ctx, at('2026-07-10T00:00:00Z'));
    // 240 -> cap 200 -> +10 (Jun 3) -> cap 200 -> +10 (Jul 3), each cap dated at its cycle start
    expect(rows((await allEntries(ctx.store, id)).slice(3)).map((r) => [r[0], r[1], r[4], r[5]])).toEqual([
      ['expiry', 40, 200, '2026-06-03T00:00:00.000Z'],
      ['grant', 10, 210, '2026-06-03T00:00:00.000Z'],
      ['expiry', 10, 200, '2026-07-03T00:00:00.000Z'],
      ['grant', 10, 210, '2026-07-03T00:00:00.000Z'],
    ]);
  });

  it('truncates a grant at the holding cap and records the excess as forfeited', async () => {
    const capped = {
      ...defaultPolicy,
      id: 'capped',
      effectiveFrom: '2008-01-01T00:00:00.000Z',
      plans: { ...defaultPolicy.plans, basic: { ...defaultPolicy.plans.basic, holdingCap: 45 } },
    };
    const ctx = testContext(opened.store, { timeline: timeline([capped]) });
    const id = await register(ctx, '2026-06-10T00:00:00Z');
    await tick(ctx, at('2026-07-10T00:00:00Z'));
    expect(rows(await allEntries(ctx.store, id)).map((r) => [r[0], r[1], r[4], r[7]])).toEqual([
      ['grant', 40, 40, null],
      ['grant', 5, 45, 'plan:basic'],
      ['forfeit', 5, 45, 'holding_cap'],
      ['forfeit', 10, 45, 'holding_cap'],
    ]);
  });
});
