import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerStore } from './ledger-store.ts';
import type { LedgerRound, LedgerStore, TimedTxCommand } from './store.ts';
import { checkInvariants } from './testing/check-invariants.ts';
import { countingClient } from './testing/counting-client.ts';
import { debit, freshAccount, grant, T0 } from './testing/fixtures.ts';
import { testEngines, type OpenedEngine } from './testing/test-engines.ts';

/**
 * Contract: `LedgerStore.round` runs a use case's reads, the ledger's commands
 * (each failing alone) and the use case's writes in one transaction of two
 * round trips, and leaves nothing behind when the decision throws.
 */
describe.each(testEngines)('a round of the store on $name', (engine) => {
  let opened: OpenedEngine;
  let counting: ReturnType<typeof countingClient>;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    counting = countingClient(opened.client);
    store = createLedgerStore(counting);
    await store.query(
      'CREATE TABLE round_notes (account text PRIMARY KEY, price int NOT NULL, paid boolean)',
    );
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  const NOW = T0 + 1000;

  /** Two accounts with 10 and 2 Connects, each owing `price` in the use case's own table. */
  async function accounts(price: number): Promise<[string, string]> {
    const rich = freshAccount('rich');
    const poor = freshAccount('poor');
    for (const [account, amount] of [
      [rich, 10],
      [poor, 2],
    ] as const) {
      expect((await store.execute({ account, op: grant(amount), now: T0 })).ok).toBe(true);
      await store.query('INSERT INTO round_notes (account, price, paid) VALUES ($1, $2, false)', [
        account,
        price,
      ]);
    }
    return [rich, poor];
  }

  const charge = (account: string, amount: number): TimedTxCommand => ({
    account,
    ops: [debit(amount, `round:${account}`)],
    idempotencyKey: `round:${account}`,
    now: NOW,
  });

  /** Reads the prices (locking the rows), debits each, and marks the ones paid. */
  function payRound(names: readonly string[], decideHook?: () => void): LedgerRound<boolean[]> {
    return {
      firstCount: 1,
      first: (literal) => [
        `SELECT account, price FROM round_notes WHERE account IN (${names.map(literal).join(', ')})
          ORDER BY account FOR UPDATE`,
      ],
      load: names.map((name) => charge(name, 1)),
      decide(rows) {
        decideHook?.();
        const prices = (rows[0] ?? []).map((r) => ({
          account: String(r['account']),
          price: Number(r['price']),
        }));
        return {
          commands: prices.map((p) => charge(p.account, p.price)),
          finish(outcomes, literal) {
            const paid = prices.filter((_, i) => outcomes[i]?.ok === true).map((p) => literal(p.account));
            return {
              last:
                paid.length === 0
                  ? []
                  : [`UPDATE round_notes SET paid = true WHERE account IN (${paid.join(', ')})`],
              value: outcomes.map((o) => o.ok),
            };
          },
        };
      },
    };
  }

  const available = async (account: string) => (await store.balance(account, NOW)).available;
  const paid = async (account: string) =>
    (await store.query<{ paid: boolean }>('SELECT paid FROM round_notes WHERE account = $1', [account]))
      .rows[0]?.paid;

  it('decides from its own rows and the ledger, each command failing alone, in two round trips', async () => {
    const [rich, poor] = await accounts(5);
    counting.reset();
    const outcome = await store.round(payRound([rich, poor]));
    expect(counting.count.roundTrips).toBe(2);
    const byAccount = new Map([
      [[rich, poor].sort()[0], outcome[0]],
      [[rich, poor].sort()[1], outcome[1]],
    ]);
    expect([byAccount.get(rich), byAccount.get(poor)]).toEqual([true, false]);
    expect([await available(rich), await available(poor)]).toEqual([5, 2]);
    expect([await paid(rich), await paid(poor)]).toEqual([true, false]);
    // The debit's idempotency key holds across rounds: the same round again pays nothing twice.
    await store.round(payRound([rich]));
    expect(await available(rich)).toBe(5);
  });

  it('writes nothing when the decision throws, and the store goes on', async () => {
    const [rich, poor] = await accounts(1);
    await expect(
      store.round(
        payRound([rich, poor], () => {
          throw new Error('a bug in the decision');
        }),
      ),
    ).rejects.toThrow('a bug in the decision');
    expect([await available(rich), await available(poor)]).toEqual([10, 2]);
    expect([await paid(rich), await paid(poor)]).toEqual([false, false]);
    expect(await store.round(payRound([rich, poor]))).toEqual([true, true]);
  });

  it('refuses a command on an account the round did not load, writing nothing', async () => {
    const [rich, poor] = await accounts(1);
    const round = payRound([rich]);
    const sneaky: LedgerRound<boolean[]> = {
      ...round,
      decide: (rows) => ({ ...round.decide(rows), commands: [charge(poor, 1)] }),
    };
    await expect(store.round(sneaky)).rejects.toThrow(/was not loaded/);
    expect([await available(rich), await available(poor)]).toEqual([10, 2]);
  });
});
