import { assert } from './errors.ts';
import { MS_PER_DAY, type Instant } from './time.ts';

/**
 * The interview reward cap (rules.md 2.3, 2.9): the Connects granted for
 * interviews in any rolling window (now - windowDays, now] never exceed the
 * cap (`grants.interviewWeeklyCap` over `grants.interviewWindowDays`, 7 by
 * default). A reward that would cross it is cut to what still fits, and the cut is
 * reported, never dropped silently.
 *
 * Rewards of one account must be judged in time order (the use case
 * serialises them per account); `priorRewards` are the grants already made,
 * and only those inside the window count.
 */

/** The default window (every shipped era): 7 days. */
export const INTERVIEW_WINDOW_MS = 7 * MS_PER_DAY;

export interface PriorReward {
  readonly at: Instant;
  readonly connects: number;
}

export interface InterviewReward {
  /** Connects to grant now (0 when the window is full). */
  readonly connects: number;
  /** Connects of the policy's reward that the cap withheld. */
  readonly withheldConnects: number;
  readonly cappedBy: 'weekly_cap' | null;
  /** Interview Connects already granted in the window before this one. */
  readonly windowConnects: number;
}

/** Rewards granted after this instant (exclusive) count against the cap at `now`. */
export function interviewWindowStart(now: Instant, windowDays: number): Instant {
  assert(Number.isSafeInteger(windowDays) && windowDays >= 1, 'window is a whole number of days >= 1');
  return now - windowDays * MS_PER_DAY;
}

export function interviewReward(
  priorRewards: readonly PriorReward[],
  now: Instant,
  reward: number,
  weeklyCap: number,
  windowDays: number,
): InterviewReward {
  assert(Number.isSafeInteger(reward) && reward >= 0, 'reward is a whole number >= 0');
  assert(Number.isSafeInteger(weeklyCap) && weeklyCap >= 0, 'weekly cap is a whole number >= 0');
  const start = interviewWindowStart(now, windowDays);
  let windowConnects = 0;
  for (const r of priorRewards) if (r.at > start && r.at <= now) windowConnects += r.connects;
  const connects = Math.min(reward, Math.max(0, weeklyCap - windowConnects));
  const withheldConnects = reward - connects;
  return { connects, withheldConnects, cappedBy: withheldConnects > 0 ? 'weekly_cap' : null, windowConnects };
}
