import { MS_PER_DAY, type Instant } from '../../core/time.ts';

/** Calendar buckets of the operator's statistics, in UTC. */
export type Bucket = 'day' | 'month';

/** The most points one series may hold: a leap year of days, or 33 years of months. */
export const MAX_BUCKETS = 400;

/** An absolute month number: year * 12 + (month - 1), in UTC. */
export function monthIndex(t: Instant): number {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** 00:00 UTC on the 1st of the month with this index. */
export function monthStart(index: number): Instant {
  const month = index % 12;
  return Date.UTC((index - month) / 12, month, 1);
}

/** Starts of the buckets in [from, until), oldest first, at most `limit`. `from` is a bucket start. */
export function bucketStarts(bucket: Bucket, from: Instant, until: Instant, limit: number): Instant[] {
  const starts: Instant[] = [];
  if (bucket === 'day') {
    for (let t = from; t < until && starts.length < limit; t += MS_PER_DAY) starts.push(t);
    return starts;
  }
  for (let i = monthIndex(from); starts.length < limit; i++) {
    const t = monthStart(i);
    if (t >= until) break;
    starts.push(t);
  }
  return starts;
}
