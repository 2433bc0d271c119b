import { MS_PER_DAY, type Instant } from '../time.ts';
import type { AccountState, Entry, Lot } from '../types.ts';
import { isSpendable } from './lot-order.ts';

export interface Balance {
  /** available + held */
  readonly balance: number;
  /** Connects that can be spent at t. */
  readonly available: number;
  /** Connects reserved by active holds (boost bids). */
  readonly held: number;
}

/**
 * The balance at t from current state (rules.md 1.2, lazy expiry): exact whether
 * or not expiries were swept. Meant for t at or after the last operation;
 * for past instants use `balanceAsOf`.
 */
export function balanceAt(state: AccountState, t: Instant): Balance {
  let available = 0;
  for (const lot of state.lots) if (isSpendable(lot, t)) available += lot.remaining;
  let held = 0;
  for (const hold of state.holds) if (hold.status === 'active') held += hold.amount;
  return { balance: available + held, available, held };
}

/** "Expiring soon" on a balance: Connects in spendable lots that expire within this window. */
export const EXPIRING_SOON_MS = 30 * MS_PER_DAY;

/** Connects in the lots spendable at t that expire before t + window (lots as they stand at t). */
export function expiringWithin(
  lots: readonly Lot[],
  t: Instant,
  windowMs: number = EXPIRING_SOON_MS,
): number {
  let sum = 0;
  for (const lot of lots) {
    if (isSpendable(lot, t) && lot.expiresAt < t + windowMs) sum += lot.remaining;
  }
  return sum;
}

/**
 * Every lot as it stood at a past instant, rebuilt from history: `remaining`
 * is the sum of its postings effective at or before t. `lots` gives issue and
 * expiry instants (any lot not in it is taken from the entry that created it).
 */
export function lotsAsOf(lots: readonly Lot[], entries: readonly Entry[], t: Instant): Lot[] {
  const lotInfo = new Map<number, Lot>(lots.map((lot) => [lot.lotNo, lot]));
  const inLot = new Map<number, number>();
  // An extension's entry carries the lot with its new expiry: the last such entry by t gives the expiry then.
  const expirySeq = new Map<number, number>();
  for (const entry of entries) {
    if (entry.effectiveAt > t) continue;
    if (entry.lot && !lotInfo.has(entry.lot.lotNo)) lotInfo.set(entry.lot.lotNo, entry.lot);
    const info = entry.lot && lotInfo.get(entry.lot.lotNo);
    if (entry.lot && info && entry.seq > (expirySeq.get(entry.lot.lotNo) ?? 0)) {
      expirySeq.set(entry.lot.lotNo, entry.seq);
      lotInfo.set(entry.lot.lotNo, { ...info, expiresAt: entry.lot.expiresAt });
    }
    for (const p of entry.postings) inLot.set(p.lotNo, (inLot.get(p.lotNo) ?? 0) + p.amount);
  }
  const atT: Lot[] = [];
  for (const [lotNo, remaining] of inLot) {
    const lot = lotInfo.get(lotNo);
    if (lot !== undefined) atT.push({ ...lot, remaining });
  }
  return atT;
}

/**
 * The balance as of a past instant, rebuilt from history: each lot holds the
 * sum of its postings effective at or before t (`lotsAsOf`), counted if the
 * lot was spendable at t; holds count while placed and not yet settled at t.
 */
export function balanceAsOf(lots: readonly Lot[], entries: readonly Entry[], t: Instant): Balance {
  const holdAmount = new Map<string, number>();
  for (const entry of entries) {
    if (entry.effectiveAt > t || entry.holdId === undefined) continue;
    if (entry.type === 'hold') holdAmount.set(entry.holdId, entry.amount);
    else holdAmount.delete(entry.holdId);
  }
  let available = 0;
  for (const lot of lotsAsOf(lots, entries, t)) if (isSpendable(lot, t)) available += lot.remaining;
  let held = 0;
  for (const amount of holdAmount.values()) held += amount;
  return { balance: available + held, available, held };
}
