import { assert } from '../errors.ts';
import type { Instant } from '../time.ts';
import type { AccountState, Entry, EntryType, Hold, Lot, Posting } from '../types.ts';
import { compareConsumption, isSpendable } from './lot-order.ts';

export interface EntryDraft {
  readonly type: EntryType;
  readonly amount: number;
  readonly postings: readonly Posting[];
  /** Change of the balance (available + held) this entry makes. */
  readonly balanceDelta: number;
  readonly effectiveAt: Instant;
  readonly ref?: string | null | undefined;
  readonly reason?: string | null | undefined;
  readonly lot?: Lot;
  readonly holdId?: string;
  /** Available balance after the entry, when it is not the available balance at now (a past expiry). */
  readonly availableAfter?: number;
}

/**
 * A private, mutable working copy of one account used while applying one
 * operation. The caller's AccountState is never touched, so a failed
 * operation changes nothing by construction.
 */
export class Work {
  readonly account: string;
  /**
   * The instant the operation takes effect: the requested instant, raised to
   * the account's last effective time when that is later. Spendability,
   * expiries and every entry's effective time are judged at it.
   */
  readonly now: Instant;
  /** When the ledger records the entries: the operation's `now` as given. */
  readonly recordedAt: Instant;
  /** Effective time of the last entry so far; the next entry is effective no earlier. */
  private floor: Instant | undefined;
  private seq: number;
  private nextLotNo: number;
  private readonly lots: Map<number, Lot>;
  private readonly holds: Map<string, Hold>;
  readonly entries: Entry[] = [];

  constructor(state: AccountState, now: Instant, at: Instant = now) {
    this.account = state.account;
    this.floor = state.lastEffectiveAt;
    this.now = this.floor === undefined ? at : Math.max(at, this.floor);
    this.recordedAt = now;
    this.seq = state.seq;
    this.nextLotNo = state.nextLotNo;
    this.lots = new Map(state.lots.map((lot) => [lot.lotNo, lot]));
    this.holds = new Map(state.holds.map((hold) => [hold.holdId, hold]));
  }

  /** Connects that can be spent now. */
  available(): number {
    let sum = 0;
    for (const lot of this.lots.values()) if (isSpendable(lot, this.now)) sum += lot.remaining;
    return sum;
  }

  held(): number {
    let sum = 0;
    for (const hold of this.holds.values()) if (hold.status === 'active') sum += hold.amount;
    return sum;
  }

  /**
   * The booked balance: every Connect still in a lot plus every active hold.
   * It equals the true balance whenever due expiries are materialised, which
   * `applyOperation` does before and after each operation.
   */
  booked(): number {
    let sum = 0;
    for (const lot of this.lots.values()) sum += lot.remaining;
    return sum + this.held();
  }

  /** Spendable lots with Connects left, in consumption order. */
  spendableLots(): Lot[] {
    return [...this.lots.values()]
      .filter((lot) => lot.remaining > 0 && isSpendable(lot, this.now))
      .sort(compareConsumption);
  }

  /** Lots whose expiry is due at now and that still hold Connects, soonest first. */
  dueLots(): Lot[] {
    return [...this.lots.values()]
      .filter((lot) => lot.remaining > 0 && lot.expiresAt <= this.now)
      .sort(compareConsumption);
  }

  lot(lotNo: number): Lot | undefined {
    return this.lots.get(lotNo);
  }

  hold(holdId: string): Hold | undefined {
    return this.holds.get(holdId);
  }

  /** Ids of the active holds that drew Connects from this lot. */
  activeHoldsOn(lotNo: number): string[] {
    const ids: string[] = [];
    for (const hold of this.holds.values()) {
      if (hold.status === 'active' && hold.draws.some((d) => d.lotNo === lotNo)) ids.push(hold.holdId);
    }
    return ids;
  }

  takeLotNo(): number {
    return this.nextLotNo++;
  }

  putLot(lot: Lot): void {
    this.lots.set(lot.lotNo, lot);
  }

  putHold(hold: Hold): void {
    this.holds.set(hold.holdId, hold);
  }

  /** Moves Connects in or out of lots; asserts no lot goes negative. */
  post(postings: readonly Posting[]): void {
    for (const p of postings) {
      const lot = this.lots.get(p.lotNo);
      assert(lot !== undefined, `lot ${p.lotNo} of ${this.account} is not loaded`);
      const remaining = lot.remaining + p.amount;
      assert(
        remaining >= 0 && remaining <= lot.amount,
        `lot ${p.lotNo} would hold ${remaining} of ${lot.amount}`,
      );
      this.lots.set(p.lotNo, { ...lot, remaining });
    }
  }

  /** Records an entry; balances before and after come from the working state. */
  record(draft: EntryDraft, availableBefore: number, balanceBefore: number): Entry {
    this.seq += 1;
    const effectiveAt =
      this.floor === undefined ? draft.effectiveAt : Math.max(draft.effectiveAt, this.floor);
    this.floor = effectiveAt;
    const entry: Entry = {
      seq: this.seq,
      type: draft.type,
      amount: draft.amount,
      postings: draft.postings,
      balanceBefore,
      balanceAfter: balanceBefore + draft.balanceDelta,
      availableBefore,
      availableAfter: draft.availableAfter ?? this.available(),
      effectiveAt,
      recordedAt: this.recordedAt,
      ref: draft.ref ?? null,
      reason: draft.reason ?? null,
      ...(draft.lot ? { lot: draft.lot } : {}),
      ...(draft.holdId !== undefined ? { holdId: draft.holdId } : {}),
    };
    assert(entry.balanceAfter === this.booked(), `entry ${entry.seq} balance does not reconcile`);
    this.entries.push(entry);
    return entry;
  }

  toState(): AccountState {
    return {
      account: this.account,
      seq: this.seq,
      nextLotNo: this.nextLotNo,
      lots: [...this.lots.values()].sort((a, b) => a.lotNo - b.lotNo),
      holds: [...this.holds.values()].sort((a, b) =>
        a.holdId < b.holdId ? -1 : a.holdId > b.holdId ? 1 : 0,
      ),
      ...(this.floor === undefined ? {} : { lastEffectiveAt: this.floor }),
    };
  }
}
