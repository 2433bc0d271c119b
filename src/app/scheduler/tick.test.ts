import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../core/types.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { allEntries, at, freshId, lotTuples, testContext, type TestContext } from '../accounts/test-kit.ts';
import { tick, type TickPhase } from './tick.ts';

const iso = (t: number) => new Date(t).toISOString();
/** [type, amount, balanceBefore, balanceAfter, effectiveAt, recordedAt, ref, reason] */
const rows = (entries: readonly Entry[]) =>
  entries.map((e) => [
    e.type,
    e.amount,
    e.balanceBefore,
    e.balanceAfter,
    iso(e.effectiveAt),
    iso(e.recordedAt),
    e.ref,
    e.reason,
  ]);

/**
 * Scenario walks on real stores. Tests share one database per engine, so
 * every assertion is about the test's own freelancer: a tick renews whoever
 * is due, including accounts earlier tests left behind.
 */
describe.each(testEngines)('tick on $name', (engine) => {
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

  async function register(registeredAt: string): Promise<string> {
    const id = freshId();
    const r = await registerFreelancer(ctx, { id }, at(registeredAt));
    expect(r.ok).toBe(true);
    return id;
  }

  it('registered Jan 31: cycles start Feb 1 and Mar 1 at 00:00 UTC, each lot for a year', async () => {
    const id = await register('2026-01-31T10:00:00Z');
    await tick(ctx, at('2026-01-31T23:59:59.999Z'));
    expect(await ctx.store.lots(id)).toHaveLength(2);
    await tick(ctx, at('2026-02-01T00:00:00Z'));
    await tick(ctx, at('2026-02-20T00:00:00Z'));
    expect(await ctx.store.balance(id, at('2026-02-20T00:00:00Z'))).toMatchObject({ balance: 60 });
    await tick(ctx, at('2026-03-01T00:00:00Z'));
    expect(lotTuples(await ctx.store.lots(id))).toEqual([
      ['signup', 40, 40, '2026-01-31T10:00:00.000Z', '2027-01-31T10:00:00.000Z'],
      ['allotment', 10, 10, '2026-01-31T10:00:00.000Z', '2027-01-31T10:00:00.000Z'],
      ['allotment', 10, 10, '2026-02-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z'],
      ['allotment', 10, 10, '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z'],
    ]);
    expect(rows(await allEntries(ctx.store, id))).toEqual([
      ['grant', 40, 0, 40, '2026-01-31T10:00:00.000Z', '2026-01-31T10:00:00.000Z', 'registration', null],
      ['grant', 10, 40, 50, '2026-01-31T10:00:00.000Z', '2026-01-31T10:00:00.000Z', 'cycle:0', 'plan:basic'],
      ['grant', 10, 50, 60, '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 'cycle:1', 'plan:basic'],
      ['grant', 10, 60, 70, '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 'cycle:2', 'plan:basic'],
    ]);
  });

  it('registered Jan 15 10:00: the next cycle starts Feb 15 00:00, not a moment earlier', async () => {
    const id = await register('2026-01-15T10:00:00Z');
    await tick(ctx, at('2026-02-14T23:59:59.999Z'));
    expect(await ctx.store.lots(id)).toHaveLength(2);
    await tick(ctx, at('2026-02-15T00:00:00Z'));
    const lots = await ctx.store.lots(id);
    expect(lotTuples(lots.slice(2))).toEqual([
      ['allotment', 10, 10, '2026-02-15T00:00:00.000Z', '2027-02-15T00:00:00.000Z'],
    ]);
  });

  it('catches up missed ticks, each cycle issued at its own start, and never grants a cycle twice', async () => {
    const id = await register('2026-01-15T10:00:00Z');
    const late = at('2026-04-20T08:00:00Z');
    await tick(ctx, late);
    await tick(ctx, late);
    await tick(ctx, at('2026-04-30T00:00:00Z'));
    expect(lotTuples((await ctx.store.lots(id)).slice(2))).toEqual([
      ['allotment', 10, 10, '2026-02-15T00:00:00.000Z', '2027-02-15T00:00:00.000Z'],
      ['allotment', 10, 10, '2026-03-15T00:00:00.000Z', '2027-03-15T00:00:00.000Z'],
      ['allotment', 10, 10, '2026-04-15T00:00:00.000Z', '2027-04-15T00:00:00.000Z'],
    ]);
    expect(rows((await allEntries(ctx.store, id)).slice(2))).toEqual([
      ['grant', 10, 50, 60, '2026-02-15T00:00:00.000Z', '2026-04-20T08:00:00.000Z', 'cycle:1', 'plan:basic'],
      ['grant', 10, 60, 70, '2026-03-15T00:00:00.000Z', '2026-04-20T08:00:00.000Z', 'cycle:2', 'plan:basic'],
      ['grant', 10, 70, 80, '2026-04-15T00:00:00.000Z', '2026-04-20T08:00:00.000Z', 'cycle:3', 'plan:basic'],
    ]);
    const rowsNow = await ctx.store.query<{ last_allotted_cycle: number; next_cycle_at: number }>(
      'SELECT last_allotted_cycle, next_cycle_at FROM freelancers WHERE id = $1',
      [id],
    );
    expect(rowsNow.rows[0]).toEqual({ last_allotted_cycle: 3, next_cycle_at: at('2026-05-15T00:00:00Z') });
  });

  it('counts in its summary every expiry it wrote, those of catch-up renewals included', async () => {
    const id = await register('2023-02-10T10:00:00Z');
    const now = at('2026-03-20T00:00:07Z');
    const summary = await tick(ctx, now);
    const written = await ctx.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM entries WHERE type = 'expiry' AND recorded_at = $1",
      [now],
    );
    const mine = (await allEntries(ctx.store, id)).filter((e) => e.type === 'expiry');
    // Signup and first allotment (swept), then 25 caught-up allotments already a year old when issued.
    expect(mine).toHaveLength(27);
    expect(summary.expired).toBe(written.rows[0]?.n);
    expect(summary.expired).toBeGreaterThanOrEqual(27);
  });

  it('sweeps lots a year after issue, before the renewal that falls at the same instant', async () => {
    const id = await register('2026-01-15T10:00:00Z');
    for (let month = 2; month <= 13; month += 1) {
      const year = month > 12 ? 2027 : 2026;
      const mm = String(month > 12 ? month - 12 : month).padStart(2, '0');
      await tick(ctx, at(`${year}-${mm}-15T00:00:00Z`));
    }
    const beforeSweep = at('2027-01-15T10:00:00Z');
    // Lazy expiry: the balance is right before any sweep runs.
    expect(await ctx.store.balance(id, beforeSweep)).toMatchObject({ balance: 120 });
    await tick(ctx, beforeSweep);
    await tick(ctx, at('2027-02-15T00:00:00Z'));
    const tail = rows((await allEntries(ctx.store, id)).slice(-4));
    expect(tail).toEqual([
      [
        'expiry',
        40,
        170,
        130,
        '2027-01-15T10:00:00.000Z',
        '2027-01-15T10:00:00.000Z',
        'registration',
        'lifetime',
      ],
      ['expiry', 10, 130, 120, '2027-01-15T10:00:00.000Z', '2027-01-15T10:00:00.000Z', 'cycle:0', 'lifetime'],
      ['expiry', 10, 120, 110, '2027-02-15T00:00:00.000Z', '2027-02-15T00:00:00.000Z', 'cycle:1', 'lifetime'],
      [
        'grant',
        10,
        110,
        120,
        '2027-02-15T00:00:00.000Z',
        '2027-02-15T00:00:00.000Z',
        'cycle:13',
        'plan:basic',
      ],
    ]);
    expect(await ctx.store.balance(id, at('2027-02-15T00:00:00Z'))).toMatchObject({ balance: 120 });
  });

  it('grants once when ticks run at the same time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1) ids.push(await register('2026-06-05T12:00:00Z'));
    const second = opened.url === null ? ctx : { ...ctx, store: await opened.another() };
    const now = at('2026-08-06T00:00:00Z');
    await Promise.all([
      tick(ctx, now, { batchSize: 4 }),
      tick(second, now, { batchSize: 3 }),
      tick(ctx, now),
    ]);
    for (const id of ids) {
      const lots = await ctx.store.lots(id);
      expect(lots.map((lot) => iso(lot.issuedAt))).toEqual([
        '2026-06-05T12:00:00.000Z',
        '2026-06-05T12:00:00.000Z',
        '2026-07-05T00:00:00.000Z',
        '2026-08-05T00:00:00.000Z',
      ]);
    }
  });

  it('runs the hooks until they come back short, and reports progress by phase', async () => {
    const calls: string[] = [];
    const hooks = {
      chargeBadges: async (_now: number, limit: number) => {
        calls.push(`badges:${limit}`);
        return calls.length === 1 ? limit : 3;
      },
      closeAuctions: async (_now: number, limit: number) => {
        calls.push(`auctions:${limit}`);
        return 0;
      },
    };
    const phases = new Set<TickPhase>();
    const summary = await tick({ ...ctx, hooks }, at('2026-01-01T00:00:00Z'), {
      limit: 5,
      onProgress: (p) => phases.add(p.phase),
    });
    expect(calls).toEqual(['badges:5', 'badges:5', 'auctions:5']);
    expect(summary).toMatchObject({ badgesCharged: 8, auctionsClosed: 0 });
    expect([...phases]).toEqual(['sweep', 'badges', 'auctions']);
  });
});
