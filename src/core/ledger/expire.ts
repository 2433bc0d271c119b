import { connectsError, err, ok, type Result } from '../errors.ts';
import type { RolloverOp } from './operations.ts';
import { planDraw, postedAmount } from './draw.ts';
import type { Work } from './work.ts';

/**
 * Materialises expiries that are due at now: one `expiry` entry per lot,
 * effective at the lot's expiresAt. Balances were already lazily correct;
 * this writes the accounting record. Returns how many lots it expired.
 */
export function materialiseExpiries(work: Work, limit: number, spendableUntilExpiry = true): number {
  const dueLots = work.dueLots();
  const due = dueLots.slice(0, limit);
  // A lot that expired on its own was spendable until its expiry: just before it, the Connects of every
  // due lot not yet recorded were still available. A lot refilled after its expiry never was.
  let dueRemaining = spendableUntilExpiry ? dueLots.reduce((sum, lot) => sum + lot.remaining, 0) : 0;
  for (const lot of due) {
    const availableBefore = work.available() + dueRemaining;
    if (spendableUntilExpiry) dueRemaining -= lot.remaining;
    const balanceBefore = work.booked();
    const postings = [{ lotNo: lot.lotNo, amount: -lot.remaining }];
    work.post(postings);
    work.record(
      {
        type: 'expiry',
        amount: lot.remaining,
        postings,
        balanceDelta: -lot.remaining,
        effectiveAt: lot.expiresAt,
        ref: lot.ref,
        reason: 'lifetime',
        availableAfter: work.available() + dueRemaining,
      },
      availableBefore,
      balanceBefore,
    );
  }
  return due.length;
}

/**
 * Rollover cap at a renewal (rules.md 1.9): spendable Connects above the cap
 * expire now, soonest-expiring first. Held Connects are committed to an
 * auction and do not count against the cap.
 */
export function applyRollover(work: Work, op: RolloverOp): Result<void> {
  if (!Number.isSafeInteger(op.cap) || op.cap < 0) {
    return err(connectsError('invalid_amount', 'A rollover cap is a whole number >= 0.', { cap: op.cap }));
  }
  const excess = work.available() - op.cap;
  if (excess <= 0) return ok(undefined);
  const plan = planDraw(work, excess);
  if (!plan.ok) return plan;
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  work.post(plan.value);
  work.record(
    {
      type: 'expiry',
      amount: postedAmount(plan.value),
      postings: plan.value,
      balanceDelta: -excess,
      effectiveAt: work.now,
      ref: op.ref,
      reason: 'rollover_cap',
    },
    availableBefore,
    balanceBefore,
  );
  return ok(undefined);
}
