import { connectsError, err, ok, type Result } from '../core/errors.ts';
import { MAX_TEXT_LENGTH } from '../core/ledger/limits.ts';
import { isInstant } from '../core/time.ts';

/** Longest idempotency key accepted (a UUID or a natural id fits easily). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/**
 * True if every string inside the value is storable text: well-formed
 * UTF-16 and no NUL character (PostgreSQL text cannot hold U+0000).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be refused
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return !unstorable.test(value);
  if (value === null || typeof value !== 'object' || depth > 4) return true;
  return Object.values(value).every((v) => storableText(v, depth + 1));
}

/**
 * Refuses what the core cannot judge: the account name, the time, the key,
 * and text the database could not store (which would fail a whole batch).
 */
export function checkCommand(
  account: unknown,
  now: unknown,
  key: unknown,
  ops: readonly unknown[],
): Result<void> {
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
  if (!storableText([account, key, ops])) {
    return err(
      connectsError('validation_failed', 'Text fields must be valid Unicode without NUL characters.'),
    );
  }
  return ok(undefined);
}
