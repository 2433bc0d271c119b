import { connectsError, err, ok, type Result } from '../errors.ts';
import type { Lot } from '../types.ts';
import { isSpendable } from './lot-order.ts';
import { addCalendarYears } from '../calendar.ts';
import type { Instant } from '../time.ts';
import type { ExtendLotOp, LotCorrectionOp } from './operations.ts';
import type { Work } from './work.ts';

/**
 * Whether an operator may void or expire this lot now. Checked in a fixed
 * order so one lot always gets the same code: unknown, paid (paid Connects
 * go back through their purchase's refund), held (an active hold drew from
 * it, and voiding around it would leave the hold's later release returning
 * Connects the operator meant to remove), then empty.
 */
export function checkLotCorrection(work: Work, lotNo: number): Result<Lot> {
  const lot = work.lot(lotNo);
  if (lot === undefined) {
    return err(connectsError('lot_not_found', `No lot ${lotNo} on this account.`, { lotNo }));
  }
  if (lot.category === 'paid') {
    return err(
      connectsError('lot_is_paid', `Lot ${lotNo} holds paid Connects; refund its purchase instead.`, {
        lotNo,
      }),
    );
  }
  const holdIds = work.activeHoldsOn(lotNo);
  if (holdIds.length > 0) {
    return err(
      connectsError('lot_is_held', `Connects of lot ${lotNo} are in an active hold.`, { lotNo, holdIds }),
    );
  }
  if (lot.remaining === 0 || !isSpendable(lot, work.now)) {
    return err(connectsError('lot_is_empty', `Lot ${lotNo} holds no Connects.`, { lotNo }));
  }
  return ok(lot);
}

/** Voids or expires what is left of one lot: a single entry that empties it. */
export function applyLotCorrection(work: Work, op: LotCorrectionOp): Result<void> {
  const checked = checkLotCorrection(work, op.lotNo);
  if (!checked.ok) return checked;
  const lot = checked.value;
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  const postings = [{ lotNo: lot.lotNo, amount: -lot.remaining }];
  work.post(postings);
  work.record(
    {
      type: op.action === 'void' ? 'adjustment' : 'expiry',
      amount: lot.remaining,
      postings,
      balanceDelta: -lot.remaining,
      effectiveAt: work.now,
      ref: op.ref ?? null,
      reason: op.reason,
    },
    availableBefore,
    balanceBefore,
  );
  return ok(undefined);
}

/** No lot lives longer than this many years after its issue, however often it is extended. */
export const MAX_LOT_LIFETIME_YEARS = 5;

/** Whether a lot's expiry may move to `expiresAt`: later than now and than its current expiry, within the bound. */
export function checkExtension(lot: Lot, expiresAt: Instant, now: Instant): Result<void> {
  const latest = addCalendarYears(lot.issuedAt, MAX_LOT_LIFETIME_YEARS);
  const details = { lotNo: lot.lotNo, expiresAt, currentExpiresAt: lot.expiresAt, latest };
  if (expiresAt <= now || expiresAt <= lot.expiresAt) {
    const message = `Lot ${lot.lotNo} can only be extended to after now and after its current expiry.`;
    return err(connectsError('lot_expiry_invalid', message, details));
  }
  if (expiresAt > latest) {
    const message = `Lot ${lot.lotNo} cannot live more than ${MAX_LOT_LIFETIME_YEARS} years after its issue.`;
    return err(connectsError('lot_expiry_invalid', message, details));
  }
  return ok(undefined);
}

/** Moves one lot's expiry later: an adjustment of 0 Connects carrying the lot as it now stands. */
export function applyLotExtension(work: Work, op: ExtendLotOp): Result<void> {
  const checked = checkLotCorrection(work, op.lotNo);
  if (!checked.ok) return checked;
  const extension = checkExtension(checked.value, op.expiresAt, work.now);
  if (!extension.ok) return extension;
  const lot = { ...checked.value, expiresAt: op.expiresAt };
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  work.putLot(lot);
  work.record(
    {
      type: 'adjustment',
      amount: 0,
      postings: [],
      balanceDelta: 0,
      effectiveAt: work.now,
      ref: op.ref ?? null,
      reason: op.reason,
      lot,
    },
    availableBefore,
    balanceBefore,
  );
  return ok(undefined);
}
