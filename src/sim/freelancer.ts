import {
  anchoredCycleAt,
  anchoredCycleStart,
  cycleAt,
  registrationAnchor,
  type CycleAnchor,
} from '../core/calendar.ts';
import { openAuction, placeBoost, type Auction } from '../core/boost-auction.ts';
import { assert } from '../core/errors.ts';
import { interviewReward, type PriorReward } from '../core/interview-cap.ts';
import { applyOperation } from '../core/ledger/apply.ts';
import { balanceAt } from '../core/ledger/balance.ts';
import { isSpendable } from '../core/ledger/lot-order.ts';
import type { Operation } from '../core/ledger/operations.ts';
import { upgradeQuote } from '../core/plan-upgrade.ts';
import type { PlanName } from '../core/policy/schema.ts';
import { policyAt, type PolicyTimeline } from '../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../core/time.ts';
import { emptyAccount, type AccountState, type Entry } from '../core/types.ts';
import { allotmentOp, rewardOp, rolloverOp } from '../app/accounts/grants.ts';
import { lotExpiresAt } from '../app/accounts/lot-expiry.ts';
import { boostSettings, closeIfDue } from '../app/boosts/auction-steps.ts';
import { effectOp, proposalRef } from '../app/boosts/ledger-plan.ts';
import { upgradeGrant } from '../app/plans/upgrade.ts';
import { quotePurchase } from '../app/purchases/purchase-quote.ts';
import { noTax } from '../app/purchases/tax.ts';
import { purchaseRef } from '../app/purchases/buy-connects.ts';
import { priceAt, priceChangesIn, type PriceChange } from '../app/badge/badge-price.ts';
import { planCatchUp } from '../app/badge/badge-catch-up.ts';
import type { Badge } from '../app/badge/badge-rows.ts';
import {
  BADGE_CHARGE,
  BADGE_CHARGES_PER_STEP,
  finishCatchUp,
  nextCheckAt,
} from '../app/badge/charge-badge.ts';
import { switchOnBadge } from '../core/availability-badge.ts';
import { decideProposal } from './behaviour.ts';
import type { RunTally } from './metrics.ts';
import { notAtMidnight, type FreelancerScript, type ProposeEvent, type ScriptEvent } from './script.ts';
import { simIds } from './ids.ts';

/**
 * One simulated freelancer under one policy timeline. It keeps the ledger
 * state the core works on (`AccountState`) and applies to it, through
 * `applyOperation`, exactly the operations the use cases would apply, at
 * the instants the service would: renewals and auction closes at the
 * scheduler's 00:00 UTC ticks, everything else when the freelancer acts.
 */

/** Where a freelancer starts: a new synthetic member, or a live account as loaded (snapshot). */
export interface StartingAccount {
  readonly id: string;
  readonly state: AccountState;
  readonly registeredAt: Instant;
  readonly plan: PlanName;
  readonly pendingPlan: PlanName | null;
  readonly anchor: CycleAnchor;
  readonly lastAllottedCycle: number;
  readonly nextCycleAt: Instant;
  /** Unit price (cents) of each paid lot, by lot number: for deferred revenue. */
  readonly paidLots: ReadonlyMap<number, number>;
  /** Interview rewards already granted inside the window. */
  readonly interviews: readonly PriorReward[];
  /** The availability badge, when on. */
  readonly badge: Badge | null;
}

/** The first scheduler tick (00:00 UTC) at or after t. */
const tickAtOrAfter = (t: Instant): Instant => Math.ceil(t / MS_PER_DAY) * MS_PER_DAY;

interface OpenAuction {
  auction: Auction;
  /** The first scheduler tick at or after the close: when the service charges it. */
  tickAt: Instant;
}

interface Interview {
  at: Instant;
  no: number;
}

export class SimFreelancer {
  private state: AccountState;
  private plan: PlanName = 'basic';
  private pending: PlanName | null = null;
  private anchor: CycleAnchor;
  private lastAllotted = 0;
  private nextCycleAt: Instant;
  private registered: boolean;
  private registeredAt: Instant;
  private readonly paidLots: Map<number, number>;
  private interviews: PriorReward[];
  private auctions: OpenAuction[] = [];
  private pendingInterviews: Interview[] = [];
  private badge: Badge | null;
  private readonly ids: ReturnType<typeof simIds>;
  /** Events applied (operations and decisions), for the bench's rate. */
  events = 0;

  constructor(
    private readonly timeline: PolicyTimeline,
    private readonly tally: RunTally,
    private readonly monthStarts: readonly Instant[],
    private readonly script: FreelancerScript,
    id: string,
    start: StartingAccount | null,
    /** Badge prices the operator set (they override the policy's, as in the service). */
    private readonly badgePrices: readonly PriceChange[] = [],
  ) {
    this.ids = simIds(id);
    this.registeredAt = start?.registeredAt ?? script.registeredAt;
    this.state = start?.state ?? emptyAccount(id);
    this.anchor = start?.anchor ?? registrationAnchor(this.registeredAt);
    this.nextCycleAt = start?.nextCycleAt ?? Number.MAX_SAFE_INTEGER;
    this.paidLots = new Map(start?.paidLots ?? []);
    this.interviews = [...(start?.interviews ?? [])];
    this.registered = start !== null;
    this.badge = start?.badge ?? null;
    if (start !== null) {
      this.plan = start.plan;
      this.pending = start.pendingPlan;
      this.lastAllotted = start.lastAllottedCycle;
    }
  }

  /** Plays the whole script to the end of the last month. */
  run(): void {
    const months = this.monthStarts.length - 1;
    let next = 0;
    const events = this.script.events;
    // A snapshot account is already registered, on the plan it has.
    if (!this.registered) {
      this.register();
      if (this.script.joinsPlus) this.upgrade(this.registeredAt + 60_000);
    }
    for (let m = 0; m < months; m += 1) {
      const end = this.monthStarts[m + 1] as Instant;
      for (;;) {
        const scripted = events[next];
        const interview = this.pendingInterviews[0];
        const at = Math.min(scripted?.at ?? Infinity, interview?.at ?? Infinity);
        if (at >= end) break;
        this.ticksThrough(at);
        if (
          interview !== undefined &&
          interview.at === at &&
          (scripted === undefined || interview.at <= scripted.at)
        ) {
          this.pendingInterviews.shift();
          this.interview(interview);
        } else if (scripted !== undefined) {
          next += 1;
          this.act(scripted);
        }
      }
      this.ticksThrough(end - 1);
      this.closeMonth(m, end - 1);
    }
    // The scheduler's run at the end charges the auctions that closed on the last day, dated at their close.
    this.ticksThrough(this.monthStarts[months] as Instant);
  }

  private act(event: ScriptEvent): void {
    switch (event.kind) {
      case 'propose':
        return this.propose(event);
      case 'plan':
        if (this.target() === 'basic' && event.upgrade) this.upgrade(event.at);
        else if (this.target() === 'plus' && event.downgrade) this.downgrade();
        return;
      case 'churn':
        if (this.target() === 'plus') this.downgrade();
        if (this.script.badgeUser) this.setBadge(false, event.at);
        return;
      case 'badge':
        return this.setBadge(event.on, event.at);
    }
  }

  private target(): PlanName {
    return this.pending ?? this.plan;
  }

  private monthOf(t: Instant): number {
    const starts = this.monthStarts;
    if (t < (starts[0] as Instant) || t >= (starts[starts.length - 1] as Instant)) return -1;
    let m = 0;
    while (t >= (starts[m + 1] as Instant)) m += 1;
    return m;
  }

  private apply(ops: readonly Operation[], now: Instant): Entry[] {
    const all: Entry[] = [];
    for (const op of ops) {
      const applied = applyOperation(this.state, op, now);
      assert(applied.ok, `simulated ${op.kind} refused: ${applied.ok ? '' : applied.error.message}`);
      this.events += 1;
      for (const entry of applied.value.entries) this.count(entry);
      all.push(...applied.value.entries);
      this.state = prune(applied.value.state);
    }
    return all;
  }

  private count(entry: Entry): void {
    const m = this.monthOf(entry.effectiveAt);
    if (m < 0) return;
    const tally = this.tally;
    switch (entry.type) {
      case 'grant': {
        const source = entry.lot?.source;
        const field =
          source === 'signup'
            ? 'issuedSignup'
            : source === 'allotment'
              ? 'issuedAllotment'
              : source === 'proration'
                ? 'issuedProration'
                : source === 'purchase'
                  ? 'issuedPurchase'
                  : source === 'interview'
                    ? 'issuedInterview'
                    : 'issuedOther';
        tally.add(m, field, entry.amount);
        return;
      }
      case 'forfeit':
        tally.add(m, 'forfeited', entry.amount);
        return;
      case 'debit':
        tally.add(m, entry.reason === 'proposal' ? 'spentProposals' : 'spentBadge', entry.amount);
        return;
      case 'hold_capture':
        tally.add(m, 'spentBoosts', entry.amount);
        return;
      case 'expiry':
        for (const p of entry.postings) {
          tally.add(m, this.paidLots.has(p.lotNo) ? 'expiredPaid' : 'expiredFree', -p.amount);
        }
        return;
      default:
        return;
    }
  }

  /**
   * Runs the scheduler's ticks (00:00 UTC each day) up to t, in the tick's order: renewals, the sweep of
   * due expiries, badge charges, auction closes.
   */
  private ticksThrough(t: Instant): void {
    for (;;) {
      const auction = this.auctions[0];
      const badgeAt = this.badgeTickAt();
      const tickAt = Math.min(this.nextCycleAt, auction?.tickAt ?? Infinity, badgeAt);
      if (tickAt > t) return;
      if (this.nextCycleAt === tickAt) this.renew(tickAt);
      const closing = this.auctions.filter((a) => a.tickAt === tickAt);
      if (closing.length > 0 || badgeAt === tickAt) {
        this.sweep(tickAt);
        if (badgeAt === tickAt) this.catchUpBadge(tickAt, Infinity);
        this.auctions = this.auctions.filter((a) => a.tickAt !== tickAt);
        for (const open of closing) this.close(open, tickAt);
      }
    }
  }

  /** The tick that charges the running badge next, or Infinity. */
  private badgeTickAt(): Instant {
    const badge = this.badge;
    return badge?.on === true && badge.nextCheckAt !== null ? tickAtOrAfter(badge.nextCheckAt) : Infinity;
  }

  /**
   * Charges the running badge up to now by the service's rules (charge-badge.ts): through the price
   * changes in between, switching it off when a Connect cannot be paid or the price passes the maximum.
   * The service debits the Connects one entry each; one debit of them all draws the same lots.
   */
  private catchUpBadge(now: Instant, maxSteps: number): void {
    let badge = this.badge;
    for (let step = 0; badge?.on === true && step < maxSteps; step += 1) {
      const { since, weeklyPriceConnects } = badge.schedule;
      const changes = priceChangesIn(this.badgePrices, this.timeline, since, now, weeklyPriceConnects);
      const plan = planCatchUp(badge.schedule, badge.weeklyMaxConnects, changes, now, BADGE_CHARGES_PER_STEP);
      const due = plan.dueAt.length;
      let paid: { charged: number; available: number | null } = { charged: 0, available: null };
      if (due > 0) {
        const available = balanceAt(this.state, now).available;
        const charged = Math.min(due, Math.max(0, available));
        if (charged > 0) this.apply([{ ...BADGE_CHARGE, amount: charged }], now);
        paid = { charged, available: charged === due ? available - due : 0 };
      }
      const result = finishCatchUp(badge, plan, paid, this.timeline, now);
      badge = result.badge;
      this.events += 1;
      if (result.complete) break;
    }
    this.badge = badge;
  }

  /** Whether the tick at `tick` debits the badge (it writes an entry there, before the auctions close). */
  private badgeDebitsAt(tick: Instant): boolean {
    const badge = this.badge;
    if (badge === null || this.badgeTickAt() !== tick) return false;
    const { since, weeklyPriceConnects } = badge.schedule;
    const changes = priceChangesIn(this.badgePrices, this.timeline, since, tick, weeklyPriceConnects);
    const plan = planCatchUp(badge.schedule, badge.weeklyMaxConnects, changes, tick, 1);
    return plan.dueAt.length > 0 && balanceAt(this.state, tick).available >= 1;
  }

  /** The freelancer switches the badge on (with their weekly maximum) or off, as set-availability-badge.ts. */
  private setBadge(on: boolean, now: Instant): void {
    const price = priceAt(this.badgePrices, this.timeline, now);
    const max = this.script.badgeWeeklyMax;
    this.events += 1;
    if (on && price > max) return; // refused: badge_price_above_max
    // The service reads the balance before it settles what is due.
    const available = balanceAt(this.state, now).available;
    this.catchUpBadge(now, SETTLE_STEPS);
    const badge = this.badge ?? offBadge(this.state.account, now);
    if (!on) {
      const stopped = badge.on ? { ...badge, on: false, nextCheckAt: null, offAt: now } : badge;
      this.badge = {
        ...stopped,
        offReason: badge.on ? 'freelancer' : badge.offReason,
        weeklyMaxConnects: max,
      };
    } else if (badge.on) {
      this.badge = { ...badge, weeklyMaxConnects: max };
    } else if (price === 0 || available >= 1) {
      const schedule = switchOnBadge(now, price);
      this.badge = {
        ...badge,
        on: true,
        weeklyMaxConnects: max,
        schedule,
        nextCheckAt: nextCheckAt(schedule, this.timeline, now),
      };
    } // else refused: insufficient_connects
  }

  private register(): void {
    const at = this.registeredAt;
    const policy = policyAt(this.timeline, at);
    const cycle = cycleAt(at, at);
    const signup = rewardOp(policy, 'basic', policy.grants.signup, 'signup', at, cycle, 'registration');
    const allotment = allotmentOp(policy, 'basic', cycle);
    this.apply(
      [signup, allotment].filter((op) => op !== null),
      at,
    );
    this.nextCycleAt = cycle.end;
    this.registered = true;
  }

  private renew(now: Instant): void {
    const index = this.lastAllotted + 1;
    const cycle = {
      index,
      start: anchoredCycleStart(this.anchor, index),
      end: anchoredCycleStart(this.anchor, index + 1),
    };
    const policy = policyAt(this.timeline, cycle.start);
    const plan = this.target();
    if (plan === 'plus') this.tally.add(this.monthOf(now), 'plusRevenueCents', policy.plans.plus.priceCents);
    this.plan = plan;
    this.pending = null;
    const ops = [rolloverOp(policy, plan, cycle), allotmentOp(policy, plan, cycle)].filter(
      (op) => op !== null,
    );
    this.apply(ops, now);
    this.lastAllotted = index;
    this.nextCycleAt = cycle.end;
  }

  private upgrade(now: Instant): void {
    if (this.plan === 'plus') {
      this.pending = null; // cancels a pending downgrade
      return;
    }
    const cycle = anchoredCycleAt(this.anchor, now);
    const policy = policyAt(this.timeline, now);
    const quote = upgradeQuote(policy, cycle, now);
    this.tally.add(this.monthOf(now), 'plusRevenueCents', quote.priceCents);
    const op = upgradeGrant(policy, quote, now);
    if (op !== null) this.apply([op], now);
    this.plan = 'plus';
    this.pending = null;
    this.events += 1;
    if (quote.billing === 'restart_cycle') {
      this.anchor = { at: now, index: quote.cycle.index, restarted: true };
      this.lastAllotted = quote.cycle.index;
      this.nextCycleAt = quote.cycle.end;
    }
  }

  private downgrade(): void {
    if (this.plan === 'plus' && this.pending === null) this.pending = 'basic';
    this.events += 1;
  }

  private propose(event: ProposeEvent): void {
    const now = event.at;
    const m = this.monthOf(now);
    const policy = policyAt(this.timeline, now);
    const available = balanceAt(this.state, now).available;
    const decision = decideProposal(this.script, event, policy, this.plan, available);
    this.tally.add(m, 'proposalsWanted', 1);
    this.events += 1;
    if (decision.buy > 0) this.buy(decision.buy, event.no, now);
    if (decision.blocked) {
      this.tally.add(m, 'proposalsBlocked', 1);
      return;
    }
    const proposalId = this.ids.proposal(event.no);
    const ref = proposalRef(proposalId);
    const ops: Operation[] = [];
    if (decision.price > 0) ops.push({ kind: 'debit', amount: decision.price, ref, reason: 'proposal' });
    if (decision.boost > 0) {
      const auction = openAuction(this.ids.job(event.no), now, policy.boost);
      const placed = placeBoost(
        auction,
        { proposalId, freelancerId: this.state.account, bidConnects: decision.boost },
        now,
        boostSettings(policy),
      );
      assert(placed.ok, 'a lone boost is always placed');
      for (const effect of placed.value.effects) ops.push(effectOp(effect));
      const tickAt = Math.ceil(placed.value.auction.closesAt / MS_PER_DAY) * MS_PER_DAY;
      this.auctions.push({ auction: placed.value.auction, tickAt });
      this.auctions.sort((a, b) => a.tickAt - b.tickAt);
    }
    this.apply(ops, now);
    this.tally.add(m, 'proposalsSent', 1);
    if (event.interviewAfterMs >= 0) {
      const at = notAtMidnight(now + event.interviewAfterMs);
      this.pendingInterviews.push({ at, no: event.no });
      this.pendingInterviews.sort((a, b) => a.at - b.at || a.no - b.no);
    }
  }

  private buy(connects: number, no: number, now: Instant): void {
    const policy = policyAt(this.timeline, now);
    const quote = quotePurchase(policy, this.plan, connects, noTax, undefined);
    assert(quote.ok, 'the decision only buys what the policy allows');
    const purchaseId = this.ids.purchase(no);
    const ref = purchaseRef(purchaseId);
    const expiresAt = lotExpiresAt(policy.lotLifetime, now, this.registeredAt);
    const op: Operation = {
      kind: 'grant',
      amount: connects,
      source: 'purchase',
      category: 'paid',
      expiresAt,
      ref,
      reason: 'purchase',
    };
    const lotNo = this.state.nextLotNo;
    this.paidLots.set(lotNo, quote.value.unitPriceCents);
    this.apply([op], now);
    const m = this.monthOf(now);
    this.tally.add(m, 'purchases', 1);
    this.tally.add(m, 'purchaseRevenueCents', quote.value.totalCents);
  }

  private close(open: OpenAuction, now: Instant): void {
    const policy = policyAt(this.timeline, open.auction.postedAt);
    const step = closeIfDue(open.auction, now, boostSettings(policy));
    this.apply(step.effects.map(effectOp), now);
  }

  private interview(interview: Interview): void {
    const now = interview.at;
    const policy = policyAt(this.timeline, now);
    const { interview: amount, interviewWeeklyCap, interviewWindowDays } = policy.grants;
    const since = now - interviewWindowDays * MS_PER_DAY;
    this.interviews = this.interviews.filter((r) => r.at > since);
    const reward = interviewReward(this.interviews, now, amount, interviewWeeklyCap, interviewWindowDays);
    this.events += 1;
    if (reward.connects <= 0) return;
    this.interviews.push({ at: now, connects: reward.connects });
    const op: Operation = {
      kind: 'grant',
      amount: reward.connects,
      source: 'interview',
      category: 'free',
      expiresAt: lotExpiresAt(policy.lotLifetime, now, this.registeredAt),
      ref: proposalRef(this.ids.proposal(interview.no)),
      reason: 'interview',
      holdingCap: policy.plans[this.plan].holdingCap,
    };
    this.apply([op], now);
  }

  /**
   * Bids of auctions that closed by t but are charged at the next tick (t + 1 ms, a month's start): the
   * capture takes effect at the close, so as of t they are spent, not held, unless the tick's renewal, its
   * sweep of lots expiring in between or a badge charge dates everything at the tick (the effective time
   * never goes back).
   */
  private chargedBy(t: Instant): number {
    const tick = t + 1;
    const raised =
      this.nextCycleAt === tick ||
      this.state.lots.some((lot) => lot.remaining > 0 && lot.expiresAt > t && lot.expiresAt <= tick) ||
      this.badgeDebitsAt(tick);
    if (raised) return 0;
    let charged = 0;
    for (const open of this.auctions) {
      if (open.auction.closesAt > t) continue;
      for (const boost of open.auction.boosts) if (boost.status === 'held') charged += boost.bidConnects;
    }
    return charged;
  }

  /** Writes the expiries due at now (a sweep); skipped when no lot is due, which changes nothing. */
  private sweep(now: Instant): void {
    if (this.state.lots.some((lot) => lot.remaining > 0 && lot.expiresAt <= now)) {
      this.apply([{ kind: 'sweep', limit: 1000 }], now);
    }
  }

  /** The month's stocks at its last millisecond; expiries due by then are written first, as a sweep would. */
  private closeMonth(m: number, t: Instant): void {
    if (!this.registered || this.registeredAt > t) return;
    this.sweep(t);
    const lazy = balanceAt(this.state, t);
    const charged = this.chargedBy(t);
    const balance = { balance: lazy.balance - charged, held: lazy.held - charged };
    const tally = this.tally;
    tally.add(m, 'freelancers', 1);
    tally.add(m, 'outstanding', balance.balance);
    tally.add(m, 'held', balance.held);
    if (balance.balance === 0) tally.add(m, 'atZero', 1);
    if (this.plan === 'plus') tally.add(m, 'plusMembers', 1);
    let deferred = 0;
    for (const lot of this.state.lots) {
      const price = this.paidLots.get(lot.lotNo);
      if (price !== undefined && isSpendable(lot, t)) deferred += lot.remaining * price;
    }
    tally.add(m, 'deferredRevenueCents', deferred);
    tally.balance(m, balance.balance);
  }
}

/** Catch-up steps one badge request takes at most (set-availability-badge.ts). */
const SETTLE_STEPS = 50;

/** A badge row as the service creates it on first use: off, never charged. */
function offBadge(freelancerId: string, now: Instant): Badge {
  return {
    freelancerId,
    on: false,
    weeklyMaxConnects: 0,
    schedule: { since: now, weeklyPriceConnects: 0, charged: 0 },
    nextCheckAt: null,
    offAt: null,
    offReason: null,
  };
}

/** Drops emptied lots (unless an active hold may return Connects to them) and settled holds. */
function prune(state: AccountState): AccountState {
  const holds = state.holds.filter((h) => h.status === 'active');
  const drawn = new Set<number>();
  for (const h of holds) for (const d of h.draws) drawn.add(d.lotNo);
  const lots = state.lots.filter((lot) => lot.remaining > 0 || drawn.has(lot.lotNo));
  if (lots.length === state.lots.length && holds.length === state.holds.length) return state;
  return { ...state, lots, holds };
}
