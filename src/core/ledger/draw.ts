import { connectsError, err, ok, type Result } from '../errors.ts';
import type { Posting } from '../types.ts';
import { MAX_LOTS_PER_OPERATION } from './limits.ts';
import type { Work } from './work.ts';

/**
 * Chooses which lots fund `amount` Connects, in consumption order, and
 * returns the (negative) postings without applying them.
 */
export function planDraw(work: Work, amount: number): Result<Posting[]> {
  const available = work.available();
  if (amount > available) {
    return err(
      connectsError(
        'insufficient_connects',
        `Needs ${amount} Connects but only ${available} are available.`,
        {
          needed: amount,
          available,
          balance: work.booked(),
        },
      ),
    );
  }
  const postings: Posting[] = [];
  let left = amount;
  for (const lot of work.spendableLots()) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    postings.push({ lotNo: lot.lotNo, amount: -take });
    left -= take;
  }
  if (postings.length > MAX_LOTS_PER_OPERATION) {
    return err(
      connectsError('too_many_lots', `Spending ${amount} Connects would touch ${postings.length} lots.`, {
        lots: postings.length,
        limit: MAX_LOTS_PER_OPERATION,
      }),
    );
  }
  return ok(postings);
}

/** Total Connects moved by a set of postings, as a magnitude. */
export function postedAmount(postings: readonly Posting[]): number {
  return postings.reduce((sum, p) => sum + Math.abs(p.amount), 0);
}

/** Flips drawn postings into the postings that return them. */
export function reversePostings(postings: readonly Posting[]): Posting[] {
  return postings.map((p) => ({ lotNo: p.lotNo, amount: -p.amount }));
}
