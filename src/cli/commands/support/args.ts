import { MS_PER_DAY, type Instant } from '../../../core/time.ts';
import { instantSchema } from '../../../app/input/instants.ts';
import { usageError } from '../../command.ts';

/** Argument parsing shared by the operator commands: every bad value is a usage error (exit 2). */

export function instantArg(flag: string, text: string): Instant {
  // The API's own parser: the same formats, and 2024-02-30 refused rather than rolled into March.
  const parsed = instantSchema.safeParse(text);
  if (!parsed.success) {
    throw usageError(`${flag} must be an ISO-8601 date or date-time with a zone (e.g. 2024-03-10T12:00:00Z)`);
  }
  return parsed.data;
}

/** `--now`: an instant, or the real clock when absent. */
export function nowArg(text: string | undefined): Instant {
  return text === undefined ? Date.now() : instantArg('--now', text);
}

export function wholeArg(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d{1,16}$/.test(text)) throw usageError(`${name} must be a whole number from ${min} to ${max}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** `--since`: an instant, or a span back from now such as 7d, 30d, 90d. */
export function sinceArg(text: string, now: Instant): Instant {
  const span = /^(\d{1,5})d$/.exec(text);
  if (span !== null) return now - Number(span[1]) * MS_PER_DAY;
  return instantArg('--since', text);
}

export function requiredArg(flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw usageError(`${flag} is required`);
  return value;
}
