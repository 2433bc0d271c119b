import { MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, type Instant } from '../core/time.ts';

/**
 * Wait before each retry of a failed delivery: the first retry 5 s after the
 * first attempt, the last about 22 hours after it. No jitter, so a timeline
 * driven by a manual clock is reproducible.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * MS_PER_SECOND,
  30 * MS_PER_SECOND,
  2 * MS_PER_MINUTE,
  10 * MS_PER_MINUTE,
  MS_PER_HOUR,
  3 * MS_PER_HOUR,
  6 * MS_PER_HOUR,
  12 * MS_PER_HOUR,
];

/**
 * When to try again after attempt number `attempts` (1-based) failed at
 * `now`, or null when that was the last one and the delivery has failed.
 */
export function nextAttemptAt(
  attempts: number,
  now: Instant,
  delays: readonly number[] = RETRY_DELAYS_MS,
): Instant | null {
  const delay = delays[attempts - 1];
  return delay === undefined ? null : now + delay;
}
