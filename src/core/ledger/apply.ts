import { connectsError, err, ok, type Result } from '../errors.ts';
import type { Instant } from '../time.ts';
import { lotSources, type AccountState } from '../types.ts';
import { applyRollover, materialiseExpiries } from './expire.ts';
import { applyLotCorrection, applyLotExtension } from './correct-lot.ts';
import { applyGrant } from './grant.ts';
import { MAX_CONNECTS_PER_OPERATION, MAX_LOTS_PER_OPERATION, MAX_TEXT_LENGTH } from './limits.ts';
import type { Applied, Operation } from './operations.ts';
import { applyRefund } from './refund.ts';
import { applyAdjust, applyCapture, applyDebit, applyHold, applyRelease } from './spend.ts';
import { Work } from './work.ts';

function isConnects(n: unknown, min: number): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= MAX_CONNECTS_PER_OPERATION;
}

function textOk(s: string | null | undefined): boolean {
  return s === null || s === undefined || (typeof s === 'string' && s.length <= MAX_TEXT_LENGTH);
}

/** Checks the shape and range of an operation before touching any state. */
function validate(op: Operation): Result<void> {
  const bad = (message: string) => err<void>(connectsError('invalid_amount', message, { kind: op.kind }));
  switch (op.kind) {
    case 'grant':
      if (!lotSources.includes(op.source) || (op.category !== 'free' && op.category !== 'paid')) {
        return err(
          connectsError('validation_failed', 'A grant names a known lot source and a free or paid category.'),
        );
      }
      if (!isConnects(op.amount, 1)) return bad(`A ${op.kind} is a whole number of Connects from 1 to 1e9.`);
      break;
    case 'debit':
    case 'hold':
      if (!isConnects(op.amount, 1)) return bad(`A ${op.kind} is a whole number of Connects from 1 to 1e9.`);
      break;
    case 'adjust':
      if (!isConnects(Math.abs(op.delta), 1))
        return bad('An adjustment is a non-zero whole number of Connects.');
      if (op.lotNo !== undefined && (op.delta > 0 || !Number.isSafeInteger(op.lotNo))) {
        return err(
          connectsError('validation_failed', 'Only a removal can name a lot, by its whole lot number.'),
        );
      }
      if (op.reason.trim() === '') {
        return err(connectsError('validation_failed', 'An adjustment needs a reason.'));
      }
      break;
    case 'correct_lot':
    case 'extend_lot':
      if (!Number.isSafeInteger(op.lotNo) || op.lotNo < 1) {
        return err(connectsError('validation_failed', 'A lot number is a whole number from 1.'));
      }
      if (op.reason.trim() === '') {
        return err(connectsError('validation_failed', 'A lot correction needs a reason.'));
      }
      break;
    case 'sweep':
      if (!Number.isSafeInteger(op.limit) || op.limit < 1 || op.limit > MAX_LOTS_PER_OPERATION) {
        return err(connectsError('validation_failed', 'A sweep limit is from 1 to 1000 lots.'));
      }
      break;
    default:
      break;
  }
  if ('at' in op && op.at !== undefined && !Number.isSafeInteger(op.at)) {
    return err(connectsError('validation_failed', 'An effective instant is a whole number of milliseconds.'));
  }
  const texts = [
    'ref' in op ? op.ref : null,
    'reason' in op ? op.reason : null,
    'holdId' in op ? op.holdId : null,
  ];
  if (!texts.every(textOk)) {
    return err(
      connectsError('validation_failed', `References and reasons are at most ${MAX_TEXT_LENGTH} characters.`),
    );
  }
  return ok(undefined);
}

/**
 * The instant an operation takes effect, before the account's floor: a grant
 * at its issue instant (a catch-up allotment at its cycle start), a capture,
 * release or rollover at the `at` it names, anything else at now.
 */
function effectiveInstant(op: Operation, now: Instant): Instant {
  if (op.kind === 'grant') return op.issuedAt ?? now;
  return 'at' in op && op.at !== undefined ? op.at : now;
}

function dispatch(work: Work, op: Operation): Result<void> {
  switch (op.kind) {
    case 'grant':
      return applyGrant(work, op);
    case 'debit':
      return applyDebit(work, op);
    case 'hold':
      return applyHold(work, op);
    case 'capture':
      return applyCapture(work, op);
    case 'release':
      return applyRelease(work, op);
    case 'refund':
      return applyRefund(work, op);
    case 'rollover':
      return applyRollover(work, op);
    case 'adjust':
      if (op.delta > 0 && op.expiresAt <= work.now) {
        return err(connectsError('validation_failed', 'An added adjustment must expire after now.'));
      }
      return applyAdjust(work, op);
    case 'correct_lot':
      return applyLotCorrection(work, op);
    case 'extend_lot':
      if (!Number.isSafeInteger(op.expiresAt)) {
        return err(connectsError('validation_failed', 'An expiry is a whole number of milliseconds.'));
      }
      return applyLotExtension(work, op);
    case 'sweep':
      materialiseExpiries(work, op.limit);
      return ok(undefined);
  }
}

/**
 * Applies one operation to one account at `now`. Pure: the input state is
 * not modified; the result is the new state and the entries written, or a
 * typed error and no change at all.
 *
 * Due expiries are materialised before the operation (so every entry's
 * balances are the true balances at now) and after it (so Connects a refund
 * or release returns to an already-expired lot expire at once, rules.md 1.8).
 * A sweep materialises at most its limit; other operations all that are due.
 *
 * Effective times never go back along an account's sequence: the operation
 * takes effect at its instant (`now`, a grant's earlier issue instant, or
 * the earlier `at` a capture, release or rollover names) raised to the
 * account's last effective time, and each
 * entry is effective no earlier than the one before it. So the balance as of
 * an entry's effective time is the balance it records, whatever order
 * concurrent requests reached the ledger in.
 */
export function applyOperation(state: AccountState, op: Operation, now: Instant): Result<Applied> {
  const valid = validate(op);
  if (!valid.ok) return valid;
  const at = effectiveInstant(op, now);
  if (at > now) {
    return err(connectsError('validation_failed', 'An operation cannot take effect after now.', { at, now }));
  }
  const work = new Work(state, now, at);
  if (op.kind !== 'sweep') materialiseExpiries(work, Number.MAX_SAFE_INTEGER);
  const done = dispatch(work, op);
  if (!done.ok) return done;
  // What is due now went into a lot after its expiry (a refund or release): it was never spendable.
  if (op.kind !== 'sweep') materialiseExpiries(work, Number.MAX_SAFE_INTEGER, false);
  return ok({ state: work.toState(), entries: work.entries });
}
