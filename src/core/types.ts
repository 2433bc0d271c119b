import type { Instant } from './time.ts';

/** Where a lot of Connects came from (rules.md 1.1). */
export const lotSources = [
  'signup',
  'badge',
  'interview',
  'certification',
  'allotment',
  'proration',
  'purchase',
  'promo',
  'admin',
  'refund',
] as const;
export type LotSource = (typeof lotSources)[number];

export type LotCategory = 'free' | 'paid';

/**
 * A lot: one credit of Connects. `remaining` counts the Connects still in the
 * lot (not spent, not held, not materialised as expired). Whether they can be
 * spent at t depends only on `issuedAt <= t < expiresAt` (lazy expiry).
 * Lot numbers are per account and increase with issue, so (account, lotNo)
 * is the key and lotNo is the last tie-break of the consumption order.
 */
export interface Lot {
  readonly lotNo: number;
  readonly source: LotSource;
  readonly category: LotCategory;
  readonly amount: number;
  readonly remaining: number;
  readonly issuedAt: Instant;
  readonly expiresAt: Instant;
  readonly ref: string | null;
}

/** Connects moved out of (negative) or back into (positive) one lot by an entry. */
export interface Posting {
  readonly lotNo: number;
  readonly amount: number;
}

export type HoldStatus = 'active' | 'captured' | 'released';

/**
 * A hold. While active, its Connects have left their lots (so they can
 * neither be spent elsewhere nor expire while held) and still count in the
 * balance. `draws` are the (negative) postings that funded it.
 */
export interface Hold {
  readonly holdId: string;
  readonly amount: number;
  readonly draws: readonly Posting[];
  readonly placedAt: Instant;
  readonly ref: string | null;
  readonly status: HoldStatus;
  readonly settledAt: Instant | null;
}

export const entryTypes = [
  'grant',
  'debit',
  'hold',
  'hold_release',
  'hold_capture',
  'refund',
  'expiry',
  'forfeit',
  'adjustment',
] as const;
export type EntryType = (typeof entryTypes)[number];

/**
 * An immutable ledger entry. `amount` is a magnitude (>= 0); the effect on the
 * balance is `balanceAfter - balanceBefore` and on the available balance
 * `availableAfter - availableBefore`. Postings say exactly which lots moved.
 */
export interface Entry {
  readonly seq: number;
  readonly type: EntryType;
  readonly amount: number;
  readonly postings: readonly Posting[];
  readonly balanceBefore: number;
  readonly balanceAfter: number;
  readonly availableBefore: number;
  readonly availableAfter: number;
  /** When the change takes effect (an expiry takes effect at the lot's expiresAt). */
  readonly effectiveAt: Instant;
  /** When the ledger recorded it: the `now` of the operation. */
  readonly recordedAt: Instant;
  readonly ref: string | null;
  readonly reason: string | null;
  /** Set on entries that create a lot, and on an expiry extension (the lot with its new expiry). */
  readonly lot?: Lot;
  /** Set on hold, hold_release and hold_capture entries. */
  readonly holdId?: string;
}

/**
 * Everything the core needs to know about one account to apply operations to
 * it. A store loads the lots that still hold Connects plus any lot an
 * operation names (a refund or release may return Connects to a drained lot),
 * and the active holds plus any settled hold an operation names (so reusing or
 * settling it twice is reported, not guessed).
 */
export interface AccountState {
  readonly account: string;
  /** Sequence number of the last entry; the next entry gets seq + 1. */
  readonly seq: number;
  /** Number the next lot gets. */
  readonly nextLotNo: number;
  readonly lots: readonly Lot[];
  readonly holds: readonly Hold[];
  /**
   * Effective time of the last entry. No later entry is effective before it,
   * so effective times never go back along the sequence and the balance as
   * of an entry's effective time is the balance it records. Absent: no floor.
   */
  readonly lastEffectiveAt?: Instant;
}

export function emptyAccount(account: string): AccountState {
  return { account, seq: 0, nextLotNo: 1, lots: [], holds: [] };
}
