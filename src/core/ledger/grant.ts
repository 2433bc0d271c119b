import { connectsError, err, ok, type Result } from '../errors.ts';
import type { Instant } from '../time.ts';
import type { EntryType, Lot, LotCategory, LotSource } from '../types.ts';
import type { GrantOp } from './operations.ts';
import type { Work } from './work.ts';

export interface NewLot {
  readonly amount: number;
  readonly source: LotSource;
  readonly category: LotCategory;
  readonly issuedAt: Instant;
  readonly expiresAt: Instant;
  readonly ref: string | null;
}

/** Creates a lot and records the entry that credits it. */
export function creditLot(work: Work, spec: NewLot, type: EntryType, reason: string | null): Lot {
  const lot: Lot = { lotNo: work.takeLotNo(), ...spec, remaining: 0 };
  const availableBefore = work.available();
  const balanceBefore = work.booked();
  work.putLot(lot);
  const postings = [{ lotNo: lot.lotNo, amount: spec.amount }];
  work.post(postings);
  work.record(
    {
      type,
      amount: spec.amount,
      postings,
      balanceDelta: spec.amount,
      effectiveAt: spec.issuedAt,
      ref: spec.ref,
      reason,
      lot: { ...lot, remaining: spec.amount },
    },
    availableBefore,
    balanceBefore,
  );
  return lot;
}

export function checkLotTimes(issuedAt: Instant, expiresAt: Instant, now: Instant): Result<void> {
  if (!Number.isSafeInteger(issuedAt) || !Number.isSafeInteger(expiresAt) || expiresAt <= issuedAt) {
    return err(
      connectsError('validation_failed', 'A lot must expire after it is issued.', { issuedAt, expiresAt }),
    );
  }
  if (issuedAt > now) {
    return err(
      connectsError('validation_failed', 'A lot cannot be issued in the future.', { issuedAt, now }),
    );
  }
  return ok(undefined);
}

/**
 * A grant creates one lot. Under a holding cap (rules.md 1.9) the part that
 * would lift the balance above the cap is not credited but recorded as a
 * `forfeit` entry, so nothing disappears silently.
 */
export function applyGrant(work: Work, op: GrantOp): Result<void> {
  const issuedAt = op.issuedAt ?? work.now;
  const times = checkLotTimes(issuedAt, op.expiresAt, work.now);
  if (!times.ok) return times;
  const cap = op.holdingCap ?? null;
  const room = cap === null ? op.amount : Math.max(0, cap - work.booked());
  const credited = Math.min(op.amount, room);
  const forfeited = op.amount - credited;
  const ref = op.ref ?? null;
  if (credited > 0) {
    const spec = {
      amount: credited,
      source: op.source,
      category: op.category,
      issuedAt,
      expiresAt: op.expiresAt,
      ref,
    };
    creditLot(work, spec, 'grant', op.reason ?? null);
  }
  if (forfeited > 0) {
    const balance = work.booked();
    work.record(
      {
        type: 'forfeit',
        amount: forfeited,
        postings: [],
        balanceDelta: 0,
        effectiveAt: issuedAt,
        ref,
        reason: 'holding_cap',
      },
      work.available(),
      balance,
    );
  }
  return ok(undefined);
}
