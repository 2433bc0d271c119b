import { connectsError, err, ok, type Result } from './core/errors.ts';
import { isInstant, toIso, type Instant } from './core/time.ts';

/**
 * The service reads time only through a Clock and passes the instant down to
 * the pure core. The server uses the system clock; tests and demos use a
 * manual one they move forward themselves.
 */
export interface Clock {
  now(): Instant;
}

export class SystemClock implements Clock {
  now(): Instant {
    return Date.now();
  }
}

/**
 * A clock that stands still until it is set. It only moves forward, because
 * the ledger has already stamped entries with the times it handed out:
 * going back would let later operations be recorded before earlier ones.
 */
export class ManualClock implements Clock {
  #now: Instant;

  constructor(start: Instant) {
    if (!isInstant(start)) throw new TypeError(`ManualClock needs an integer instant, got ${String(start)}`);
    this.#now = start;
  }

  now(): Instant {
    return this.#now;
  }

  /** Moves to t; setting the current time again is allowed and changes nothing. */
  set(t: Instant): Result<Instant> {
    if (!isInstant(t)) {
      return err(connectsError('validation_failed', 'The time must be an integer instant.', { now: t }));
    }
    if (t < this.#now) {
      return err(
        connectsError('clock_backwards', `The clock is at ${toIso(this.#now)} and cannot go back.`, {
          now: toIso(this.#now),
          requested: toIso(t),
        }),
      );
    }
    this.#now = t;
    return ok(t);
  }

  advance(ms: number): Result<Instant> {
    return this.set(this.#now + ms);
  }
}

export function isManualClock(clock: Clock): clock is ManualClock {
  return clock instanceof ManualClock;
}
