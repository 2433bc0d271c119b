import type { Instant } from '../time.ts';
import type { AccountState, Entry, LotCategory, LotSource, Posting } from '../types.ts';

/**
 * The closed set of operations the ledger core applies to one account.
 * Each names exactly one account (Connects never move between accounts).
 */
export type Operation =
  | GrantOp
  | DebitOp
  | HoldOp
  | CaptureOp
  | ReleaseOp
  | RefundOp
  | SweepOp
  | RolloverOp
  | AdjustOp
  | LotCorrectionOp
  | ExtendLotOp;

export interface GrantOp {
  readonly kind: 'grant';
  readonly amount: number;
  readonly source: LotSource;
  readonly category: LotCategory;
  /** Issue instant; defaults to `now`. A catch-up allotment passes its cycle start. */
  readonly issuedAt?: Instant;
  readonly expiresAt: Instant;
  readonly ref?: string | null;
  readonly reason?: string | null;
  /** Holding cap in force: Connects that would lift the balance above it are forfeited. */
  readonly holdingCap?: number | null;
}

export interface DebitOp {
  readonly kind: 'debit';
  readonly amount: number;
  readonly ref?: string | null;
  readonly reason?: string | null;
}

export interface HoldOp {
  readonly kind: 'hold';
  readonly holdId: string;
  readonly amount: number;
  readonly ref?: string | null;
}

export interface CaptureOp {
  readonly kind: 'capture';
  readonly holdId: string;
  /**
   * When the capture took effect, at or before now: an auction that closed at
   * its deadline is charged then, whenever the scheduler noticed. Defaults to now.
   */
  readonly at?: Instant;
}

export interface ReleaseOp {
  readonly kind: 'release';
  readonly holdId: string;
  /** When the release took effect, at or before now (as for a capture). Defaults to now. */
  readonly at?: Instant;
}

/**
 * Returns Connects that a debit (or capture) drew. `draws` are that entry's
 * postings (negative amounts, as recorded). Mode `reinstate` puts them back in
 * the same lots with their original expiry; `fresh_lot` issues a new lot.
 */
export interface RefundOp {
  readonly kind: 'refund';
  readonly draws: readonly Posting[];
  readonly mode: 'reinstate' | 'fresh_lot';
  /** Required for mode `fresh_lot`. */
  readonly freshExpiresAt?: Instant;
  readonly ref?: string | null;
  readonly reason?: string | null;
}

/** Materialises expiries of lots that expired at or before now (at most `limit` lots). */
export interface SweepOp {
  readonly kind: 'sweep';
  readonly limit: number;
}

/** Rollover cap at a cycle renewal: Connects above `cap` expire, soonest-expiring first. */
export interface RolloverOp {
  readonly kind: 'rollover';
  readonly cap: number;
  readonly ref?: string | null;
  /** The renewal instant (the cycle boundary), at or before now; the cap is judged then. Defaults to now. */
  readonly at?: Instant;
}

/** An operator's correction: positive adds a lot, negative removes Connects. */
export interface AdjustOp {
  readonly kind: 'adjust';
  readonly delta: number;
  readonly expiresAt: Instant;
  readonly reason: string;
  readonly ref?: string | null;
  /**
   * With a negative delta, take the Connects from this lot only (a purchase
   * chargeback removes what is left of the purchased lot, not whatever the
   * consumption order would pick).
   */
  readonly lotNo?: number;
}

/**
 * An operator's correction of one named lot: `void` removes its unspent
 * Connects (an `adjustment` entry), `expire` expires them at once (an
 * `expiry` entry). Refused on a lot that does not exist, is paid, has
 * Connects in an active hold, or holds no Connects.
 */
export interface LotCorrectionOp {
  readonly kind: 'correct_lot';
  readonly action: 'void' | 'expire';
  readonly lotNo: number;
  readonly reason: string;
  readonly ref?: string | null;
}

/**
 * An operator's extension of one lot's expiry: recorded as an `adjustment`
 * entry of 0 Connects that carries the lot with its new expiry. Refused as a
 * void is, and when the new expiry is not later than the current one or
 * beyond MAX_LOT_LIFETIME_YEARS after the lot's issue.
 */
export interface ExtendLotOp {
  readonly kind: 'extend_lot';
  readonly lotNo: number;
  readonly expiresAt: Instant;
  readonly reason: string;
  readonly ref?: string | null;
}

export interface Applied {
  readonly state: AccountState;
  readonly entries: readonly Entry[];
}
