import type { BoostEffect } from '../../core/boost-auction.ts';
import type { Operation } from '../../core/ledger/operations.ts';
import type { Instant } from '../../core/time.ts';
import type { Posting } from '../../core/types.ts';
import type { ExecuteResult, StoreTx } from '../../store/store.ts';
import { recordRefundLotCosts } from '../finance/lot-costs.ts';
import { orAbort } from '../jobs/in-transaction.ts';

/** Every boost's bid is a ledger hold with this id on the bidder's account. */
export const boostHoldId = (proposalId: string): string => `boost:${proposalId}`;
/** Ledger reference of everything a proposal costs: its debit, its boost, their refunds. */
export const proposalRef = (proposalId: string): string => `proposal:${proposalId}`;

/** The ledger operation that carries out one effect of the pure auction. */
export function effectOp(effect: BoostEffect): Operation {
  const holdId = boostHoldId(effect.proposalId);
  switch (effect.kind) {
    case 'hold':
      return { kind: 'hold', holdId, amount: effect.connects, ref: proposalRef(effect.proposalId) };
    case 'capture':
      return { kind: 'capture', holdId, ...(effect.at === undefined ? {} : { at: effect.at }) };
    case 'release':
      return { kind: 'release', holdId, ...(effect.at === undefined ? {} : { at: effect.at }) };
  }
}

/**
 * The ledger operations one use case applies, grouped by account. `apply`
 * runs them inside the caller's transaction in one pass (after the caller
 * has locked the job row): the store locks every account in sorted order,
 * loads them and writes them with one statement each, so two use cases on
 * one job never wait on each other's accounts in opposite orders.
 */
export class LedgerPlan {
  private readonly byAccount = new Map<string, Operation[]>();

  add(account: string, ...ops: Operation[]): this {
    if (ops.length === 0) return this;
    this.byAccount.set(account, [...(this.byAccount.get(account) ?? []), ...ops]);
    return this;
  }

  addEffects(effects: readonly BoostEffect[]): this {
    for (const effect of effects) this.add(effect.freelancerId, effectOp(effect));
    return this;
  }

  get accounts(): string[] {
    return [...this.byAccount.keys()].sort();
  }

  /**
   * Applies every account's operations under `idempotencyKey` (scoped per
   * account by the store). Any failure aborts the whole transaction.
   */
  async apply(tx: StoreTx, now: Instant, idempotencyKey: string): Promise<Map<string, ExecuteResult>> {
    const accounts = this.accounts;
    const commands = accounts.map((account) => ({
      account,
      ops: this.byAccount.get(account) ?? [],
      idempotencyKey,
    }));
    const applied = orAbort(await tx.applyMany(commands, now));
    const results = new Map(accounts.map((account, i) => [account, applied[i] as ExecuteResult]));
    // A fresh lot a refund issues for paid Connects carries their cost basis (docs/finance.md).
    for (const { account, ops } of commands) {
      await recordRefundLotCosts(tx, account, ops, results.get(account) as ExecuteResult);
    }
    return results;
  }
}

/** The draws of the boost holds placed by these results, by proposal id. */
export function holdDrawsIn(results: Iterable<ExecuteResult>): Map<string, readonly Posting[]> {
  const draws = new Map<string, readonly Posting[]>();
  for (const result of results) {
    for (const entry of result.entries) {
      if (entry.type !== 'hold' || entry.holdId === undefined || !entry.holdId.startsWith('boost:')) continue;
      draws.set(entry.holdId.slice('boost:'.length), entry.postings);
    }
  }
  return draws;
}
