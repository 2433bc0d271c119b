import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiringWithin } from '../../core/ledger/balance.ts';
import { createLedgerStore } from '../../store/ledger-store.ts';
import { countingClient } from '../../store/testing/counting-client.ts';
import { DAY, grant } from '../../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { getBalance } from './get-balance.ts';
import { registerFreelancer } from './register-freelancer.ts';
import { at, freshId, testContext, type TestContext } from './test-kit.ts';

/**
 * The statement budget of the API's most frequent read: a current balance is
 * one statement (the freelancer, its lots and its holds together), unless a
 * capped renewal is due and must be projected. It was four: the freelancer
 * twice, the lots, then lots and holds again. Reads asked for at once share
 * that one statement.
 */
describe.each(testEngines)('statements per current balance on $name', (engine) => {
  let opened: OpenedEngine;
  let counting: ReturnType<typeof countingClient>;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    counting = countingClient(opened.client);
    ctx = testContext(createLedgerStore(counting));
  });
  afterAll(() => opened.cleanup());

  const T = at('2026-03-01T00:00:00Z');

  it('reads a balance with holds and expiring lots in one statement, equal to the store', async () => {
    const id = freshId();
    expect((await registerFreelancer(ctx, { id }, T)).ok).toBe(true);
    const ops = [
      grant(20, T + 20 * DAY),
      grant(30, T + 90 * DAY),
      { kind: 'hold', holdId: 'h-1', amount: 5 },
      { kind: 'debit', amount: 3 },
    ] as const;
    for (const [n, op] of ops.entries()) {
      expect((await ctx.store.execute({ account: id, op, now: T + (n + 1) * 1000 })).ok).toBe(true);
    }
    const now = T + DAY;
    counting.reset();
    const read = await getBalance(ctx, { freelancerId: id }, now);
    const seen = counting.count.statements;
    expect(seen, counting.count.log.join('\n---\n')).toBe(1);
    expect(counting.count.roundTrips).toBe(1);
    const balance = await ctx.store.balance(id, now);
    const lots = await ctx.store.lots(id, { withRemaining: true });
    expect(read).toEqual({
      ok: true,
      value: { freelancerId: id, asOf: now, ...balance, expiringSoon: expiringWithin(lots, now) },
    });
    expect(balance.held).toBe(5);
  });

  it('answers reads asked for at once with one statement, each its own balance', async () => {
    const ids = [freshId(), freshId(), freshId()];
    for (const [n, id] of ids.entries()) {
      expect((await registerFreelancer(ctx, { id }, T)).ok).toBe(true);
      expect((await ctx.store.execute({ account: id, op: grant(n + 1, T + 20 * DAY), now: T + 1 })).ok).toBe(
        true,
      );
    }
    const asked = Array.from({ length: 30 }, (_, n) => ids[n % 3] as string);
    counting.reset();
    const reads = await Promise.all(asked.map((id) => getBalance(ctx, { freelancerId: id }, T + DAY)));
    expect(counting.count.statements).toBe(1);
    const expected = await Promise.all(ids.map((id) => ctx.store.balance(id, T + DAY)));
    expect(reads.map((r) => (r.ok ? r.value.balance : null))).toEqual(
      asked.map((_, n) => expected[n % 3]?.balance),
    );
  });

  it('answers an unknown freelancer in one statement', async () => {
    counting.reset();
    const read = await getBalance(ctx, { freelancerId: freshId() }, T);
    expect(read.ok ? 'ok' : read.error.code).toBe('freelancer_not_found');
    expect(counting.count.statements).toBe(1);
  });
});
