import { assert, connectsError, err, ok, type Result } from '../errors.ts';
import type { Posting } from '../types.ts';
import { MAX_LOTS_PER_OPERATION } from './limits.ts';
import type { RefundOp } from './operations.ts';
import { postedAmount, reversePostings } from './draw.ts';
import { creditLot } from './grant.ts';
import type { Work } from './work.ts';

function checkDraws(draws: readonly Posting[]): Result<void> {
  if (draws.length === 0 || draws.length > MAX_LOTS_PER_OPERATION) {
    return err(connectsError('validation_failed', 'A refund names between 1 and 1000 drawn postings.'));
  }
  for (const p of draws) {
    if (!Number.isSafeInteger(p.amount) || p.amount >= 0 || !Number.isSafeInteger(p.lotNo)) {
      return err(connectsError('validation_failed', 'Refunded postings are the negative draws of a debit.'));
    }
  }
  return ok(undefined);
}

/**
 * Refunds reinstate (rules.md 1.8): Connects go back to the lots they were drawn
 * from, keeping those lots' original expiry; a part whose lot has expired
 * meanwhile is then materialised as expired at once by the caller's sweep.
 * With mode `fresh_lot` they come back as new lots with a fresh lifetime,
 * one per original lot so the free/paid category survives.
 */
export function applyRefund(work: Work, op: RefundOp): Result<void> {
  const valid = checkDraws(op.draws);
  if (!valid.ok) return valid;
  const ref = op.ref ?? null;
  const reason = op.reason ?? null;
  if (op.mode === 'fresh_lot') {
    const expiresAt = op.freshExpiresAt;
    if (expiresAt === undefined || expiresAt <= work.now) {
      return err(connectsError('validation_failed', 'A fresh-lot refund needs an expiry after now.'));
    }
    for (const p of op.draws) {
      const original = work.lot(p.lotNo);
      assert(original !== undefined, `refunded lot ${p.lotNo} is not loaded`);
      const spec = { amount: -p.amount, source: 'refund' as const, category: original.category, ref };
      creditLot(work, { ...spec, issuedAt: work.now, expiresAt }, 'refund', reason);
    }
    return ok(undefined);
  }
  const postings = reversePostings(op.draws);
  for (const p of postings) {
    const lot = work.lot(p.lotNo);
    assert(lot !== undefined, `refunded lot ${p.lotNo} is not loaded`);
    if (lot.remaining + p.amount > lot.amount) {
      return err(
        connectsError('refund_exceeds_debit', `Lot ${p.lotNo} cannot take back ${p.amount} Connects.`, {
          lotNo: p.lotNo,
        }),
      );
    }
  }
  const amount = postedAmount(postings);
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  work.post(postings);
  const draft = { type: 'refund' as const, amount, postings, balanceDelta: amount };
  work.record({ ...draft, effectiveAt: work.now, ref, reason }, availableBefore, balanceBefore);
  return ok(undefined);
}
