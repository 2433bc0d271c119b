import { MS_PER_DAY, MS_PER_MINUTE, type Instant } from '../core/time.ts';
import type { PopulationParams } from './params.ts';
import { Random } from './random.ts';

/**
 * A freelancer's behaviour script: everything they will want to do, drawn
 * before the run from their own random stream and never from the policy.
 * Decisions that depend on the ledger (buy when short, boost only what they
 * can afford) use numbers drawn here, so the baseline and the candidate see
 * the same draws and the service replay (src/sim/replay.ts) takes the same
 * decisions.
 */

export interface ProposeEvent {
  readonly kind: 'propose';
  readonly at: Instant;
  /** Number of this proposal in the freelancer's script, from 1: its id and its job's. */
  readonly no: number;
  /** The job's budget in cents, or null for an hourly job. */
  readonly budgetCents: number | null;
  /** Boost bid in Connects wanted with it (0: none). */
  readonly bid: number;
  /** Delay to an interview, or -1 when the client will not interview. */
  readonly interviewAfterMs: number;
  /** Pre-drawn uniform number deciding whether to buy when the balance falls short. */
  readonly buyDraw: number;
}

export interface PlanEvent {
  readonly kind: 'plan';
  readonly at: Instant;
  /** Upgrades if on Basic at that moment. */
  readonly upgrade: boolean;
  /** Downgrades if on Plus at that moment. */
  readonly downgrade: boolean;
}

export interface ChurnEvent {
  readonly kind: 'churn';
  readonly at: Instant;
}

/** Switches the availability badge on (with the freelancer's weekly maximum) or off. */
export interface BadgeEvent {
  readonly kind: 'badge';
  readonly at: Instant;
  readonly on: boolean;
}

export type ScriptEvent = ProposeEvent | PlanEvent | ChurnEvent | BadgeEvent;

export interface FreelancerScript {
  readonly index: number;
  /** Joins at this instant (synthetic population); a snapshot account is already registered. */
  readonly registeredAt: Instant;
  /** Takes Plus a minute after joining. */
  readonly joinsPlus: boolean;
  /** Chance of buying when short (0 for non-buyers). */
  readonly buyProbability: number;
  /** Connects the freelancer likes to buy at once. */
  readonly preferredBundle: number;
  /** Uses the availability badge (switches it off when churning). */
  readonly badgeUser: boolean;
  /** The most this freelancer pays for the badge a week. */
  readonly badgeWeeklyMax: number;
  /** In time order. */
  readonly events: readonly ScriptEvent[];
}

/** Mixed into the seed of the badge's own random stream. */
const BADGE_STREAM = 0x5bd1e995;

/** An instant in [lo, hi) on a whole minute past lo, never at 00:00 UTC (the scheduler's instant). */
function instantIn(random: Random, lo: Instant, hi: Instant): Instant {
  const minutes = Math.max(1, Math.floor((hi - lo) / MS_PER_MINUTE));
  const t = lo + Math.floor(random.next() * minutes) * MS_PER_MINUTE;
  return t % MS_PER_DAY === 0 ? t + MS_PER_MINUTE : t;
}

/** Delay (whole days plus some minutes) after which an event happens, never landing on 00:00. */
export function notAtMidnight(t: Instant): Instant {
  return t % MS_PER_DAY === 0 ? t + MS_PER_MINUTE : t;
}

export interface ScriptFrame {
  readonly seed: number;
  /** Month k spans [monthStarts[k], monthStarts[k + 1]). */
  readonly monthStarts: readonly Instant[];
}

/**
 * Draws freelancer `index`'s script. `registeredAt` is given for a snapshot
 * account (already registered before the start); a synthetic freelancer
 * joins at a drawn instant in the first 28 days.
 */
export function drawScript(
  params: PopulationParams,
  frame: ScriptFrame,
  index: number,
  registeredAt?: Instant,
): FreelancerScript {
  const random = new Random(frame.seed, index);
  const start = frame.monthStarts[0] as Instant;
  const joinDraw = start + random.int(0, 27) * MS_PER_DAY + random.int(1, 1439) * MS_PER_MINUTE;
  const joined = registeredAt ?? joinDraw;
  const joinsPlus = random.next() < params.plusShare;
  const buyer = random.next() < params.buying.buyerShare;
  const bundle = params.buying.bundles[random.pick(params.buying.bundles.map((b) => b.weight))];
  const booster = random.next() < params.boost.share;
  const { median, sigma, max } = params.proposalsPerMonth;
  const rate = Math.min(max, median * Math.exp(sigma * random.normal()));
  const budgetWeights = params.jobBudgets.map((b) => b.weight);
  // The badge draws from a stream of its own, so adding it left every other draw as it was.
  const badgeRandom = new Random(frame.seed ^ BADGE_STREAM, index);
  const badge = params.badge;
  const badgeUser = badgeRandom.next() < badge.share;
  const badgeWeeklyMax = badgeRandom.int(badge.minWeeklyMax, badge.maxWeeklyMax);
  const events: ScriptEvent[] = [];
  let no = 0;
  for (let k = 0; k + 1 < frame.monthStarts.length; k += 1) {
    const lo = Math.max(frame.monthStarts[k] as Instant, joined + MS_PER_MINUTE);
    const hi = frame.monthStarts[k + 1] as Instant;
    const churnDraw = random.next();
    const churnAt = instantIn(random, lo, hi);
    const planDraw = random.next();
    const planAt = instantIn(random, lo, hi);
    const badgeDraw = badgeRandom.next();
    const badgeAt = instantIn(badgeRandom, lo, hi);
    const count = random.poisson(rate, max);
    const month: ScriptEvent[] = [];
    for (let i = 0; i < count; i += 1) {
      const at = instantIn(random, lo, hi);
      const budget = params.jobBudgets[random.pick(budgetWeights)]?.budgetCents ?? null;
      const boosts = booster && random.next() < params.boost.probability;
      const bid = random.int(params.boost.minBid, params.boost.maxBid);
      const interviews = random.next() < params.interview.rate;
      const delay =
        random.int(params.interview.minDays, params.interview.maxDays) * MS_PER_DAY +
        random.int(1, 1439) * MS_PER_MINUTE;
      const buyDraw = random.next();
      no += 1;
      month.push({
        kind: 'propose',
        at,
        no,
        budgetCents: budget,
        bid: boosts ? bid : 0,
        interviewAfterMs: interviews ? delay : -1,
        buyDraw,
      });
    }
    if (lo >= hi) continue;
    const churns = churnDraw < params.churn;
    month.push({
      kind: 'plan',
      at: planAt,
      upgrade: planDraw < params.plans.upgrade,
      downgrade: planDraw < params.plans.downgrade,
    });
    if (churns) month.push({ kind: 'churn', at: churnAt });
    if (badgeUser && badgeDraw < badge.onProbability) month.push({ kind: 'badge', at: badgeAt, on: true });
    else if (badgeUser && badgeDraw >= 1 - badge.offProbability) {
      month.push({ kind: 'badge', at: badgeAt, on: false });
    }
    month.sort((a, b) => a.at - b.at);
    // After churning the freelancer does nothing more.
    const cut = churns ? month.findIndex((e) => e.kind === 'churn') + 1 : month.length;
    events.push(...month.slice(0, cut));
    if (churns) break;
  }
  return {
    index,
    registeredAt: joined,
    joinsPlus,
    buyProbability: buyer ? params.buying.probability : 0,
    preferredBundle: bundle?.connects ?? 10,
    badgeUser,
    badgeWeeklyMax,
    events,
  };
}
