import { connectsError, err, ok, type Result } from '../errors.ts';
import type { Posting } from '../types.ts';
import { isSpendable } from './lot-order.ts';
import type { AdjustOp, CaptureOp, DebitOp, HoldOp, ReleaseOp } from './operations.ts';
import { planDraw, reversePostings } from './draw.ts';
import { creditLot } from './grant.ts';
import type { Work } from './work.ts';

export function applyDebit(work: Work, op: DebitOp): Result<void> {
  const plan = planDraw(work, op.amount);
  if (!plan.ok) return plan;
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  work.post(plan.value);
  work.record(
    {
      type: 'debit',
      amount: op.amount,
      postings: plan.value,
      balanceDelta: -op.amount,
      effectiveAt: work.now,
      ref: op.ref,
      reason: op.reason,
    },
    availableBefore,
    balanceBefore,
  );
  return ok(undefined);
}

/** A hold takes Connects out of their lots (available drops, balance does not). */
export function applyHold(work: Work, op: HoldOp): Result<void> {
  if (work.hold(op.holdId) !== undefined) {
    return err(connectsError('hold_exists', `Hold ${op.holdId} already exists.`, { holdId: op.holdId }));
  }
  const plan = planDraw(work, op.amount);
  if (!plan.ok) return plan;
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  work.post(plan.value);
  const ref = op.ref ?? null;
  const hold = {
    holdId: op.holdId,
    amount: op.amount,
    draws: plan.value,
    placedAt: work.now,
    ref,
    status: 'active' as const,
    settledAt: null,
  };
  work.putHold(hold);
  work.record(
    {
      type: 'hold',
      amount: op.amount,
      postings: plan.value,
      balanceDelta: 0,
      effectiveAt: work.now,
      ref,
      holdId: op.holdId,
    },
    availableBefore,
    balanceBefore,
  );
  return ok(undefined);
}

function activeHold(work: Work, holdId: string) {
  const hold = work.hold(holdId);
  if (hold === undefined) {
    return err(connectsError('hold_not_found', `No hold ${holdId} on this account.`, { holdId }));
  }
  if (hold.status !== 'active') {
    return err(
      connectsError('hold_already_settled', `Hold ${holdId} was already ${hold.status}.`, {
        holdId,
        status: hold.status,
      }),
    );
  }
  return ok(hold);
}

/** Capture turns a hold into spent Connects; the lots were drawn when it was placed. */
export function applyCapture(work: Work, op: CaptureOp): Result<void> {
  const found = activeHold(work, op.holdId);
  if (!found.ok) return found;
  const hold = found.value;
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  work.putHold({ ...hold, status: 'captured', settledAt: work.now });
  const draft = {
    type: 'hold_capture' as const,
    amount: hold.amount,
    postings: [],
    balanceDelta: -hold.amount,
  };
  work.record(
    { ...draft, effectiveAt: work.now, ref: hold.ref, holdId: hold.holdId },
    availableBefore,
    balanceBefore,
  );
  return ok(undefined);
}

/** Release returns held Connects to the lots they came from; expired parts expire right after. */
export function applyRelease(work: Work, op: ReleaseOp): Result<void> {
  const found = activeHold(work, op.holdId);
  if (!found.ok) return found;
  const hold = found.value;
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  const postings = reversePostings(hold.draws);
  work.putHold({ ...hold, status: 'released', settledAt: work.now });
  work.post(postings);
  work.record(
    {
      type: 'hold_release',
      amount: hold.amount,
      postings,
      balanceDelta: 0,
      effectiveAt: work.now,
      ref: hold.ref,
      holdId: hold.holdId,
    },
    availableBefore,
    balanceBefore,
  );
  return ok(undefined);
}

/** Draws from one named lot; a lot the account does not hold (or no longer holds Connects in) has none. */
function planLotDraw(work: Work, lotNo: number, amount: number): Result<Posting[]> {
  const lot = work.lot(lotNo);
  const inLot = lot !== undefined && isSpendable(lot, work.now) ? lot.remaining : 0;
  if (amount > inLot) {
    return err(
      connectsError(
        'insufficient_connects',
        `Lot ${lotNo} holds ${inLot} spendable Connects, not ${amount}.`,
        {
          lotNo,
          needed: amount,
          available: inLot,
        },
      ),
    );
  }
  return ok([{ lotNo, amount: -amount }]);
}

/** An operator's correction, recorded as an `adjustment` entry either way. */
export function applyAdjust(work: Work, op: AdjustOp): Result<void> {
  const ref = op.ref ?? null;
  if (op.delta > 0) {
    const spec = { amount: op.delta, source: 'admin' as const, category: 'free' as const, ref };
    creditLot(work, { ...spec, issuedAt: work.now, expiresAt: op.expiresAt }, 'adjustment', op.reason);
    return ok(undefined);
  }
  const amount = -op.delta;
  const plan = op.lotNo === undefined ? planDraw(work, amount) : planLotDraw(work, op.lotNo, amount);
  if (!plan.ok) return plan;
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  work.post(plan.value);
  const draft = { type: 'adjustment' as const, amount, postings: plan.value, balanceDelta: -amount };
  work.record({ ...draft, effectiveAt: work.now, ref, reason: op.reason }, availableBefore, balanceBefore);
  return ok(undefined);
}
