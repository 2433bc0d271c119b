import { connectsError, err, ok, type Result } from '../core/errors.ts';
import { MAX_TEXT_LENGTH } from '../core/ledger/limits.ts';
import { isInstant } from '../core/time.ts';

/** Longest idempotency key accepted (a UUID or a natural id fits easily). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Refuses what the core cannot judge: the account name, the time and the key. */
export function checkCommand(account: unknown, now: unknown, key: unknown): Result<void> {
  if (typeof account !== 'string' || account.length === 0 || account.length > MAX_TEXT_LENGTH) {
    return err(connectsError('validation_failed', `An account id is 1 to ${MAX_TEXT_LENGTH} characters.`));
  }
  if (!isInstant(now) || now < 0) {
    return err(connectsError('validation_failed', 'The operation time is not a valid instant.'));
  }
  if (
    key !== undefined &&
    (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
  ) {
    return err(
      connectsError(
        'validation_failed',
        `An idempotency key is 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
      ),
    );
  }
  return ok(undefined);
}
