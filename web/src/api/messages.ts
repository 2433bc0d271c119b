import type { ErrorCode } from '../../../src/core/errors.ts';
import { ApiError } from './http.ts';

/**
 * What a person reads when the API refuses something. Keyed by the error
 * registry so the compiler insists on a message for every code the server
 * can send; details (balance, amount needed...) make it specific.
 */
type Details = Readonly<Record<string, unknown>>;
type Message = string | ((details: Details) => string);

const num = (details: Details, key: string): number | undefined => {
  const value = details[key];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
};

const messages = {
  insufficient_connects: (d) => {
    const needed = num(d, 'needed') ?? num(d, 'required') ?? num(d, 'amount');
    const have = num(d, 'available') ?? num(d, 'balance');
    return needed !== undefined && have !== undefined
      ? `Not enough Connects: this needs ${needed} and you have ${have} available. Buy Connects or redeem a code first.`
      : 'Not enough Connects for this. Buy Connects or redeem a code first.';
  },
  invalid_amount: 'That amount is not allowed. Use a whole number in the allowed range.',
  hold_not_found: 'That reservation no longer exists.',
  hold_already_settled: 'That reservation was already charged or released.',
  hold_exists: 'That reservation already exists.',
  refund_exceeds_debit: 'The refund is larger than what was spent.',
  too_many_lots: 'This touches too many lots at once; try a smaller amount.',
  idempotency_conflict: 'This request was already sent with different details. Reload and try again.',
  freelancer_not_found: 'No freelancer with that id.',
  freelancer_exists: 'A freelancer with that id already exists.',
  not_eligible: 'The freelancer does not meet the criteria for this reward yet.',
  already_granted: 'This one-time reward was already granted.',
  plan_required: 'This needs a Freelancer Plus membership. Upgrade on the Plan page.',
  purchase_out_of_range: (d) => {
    const min = num(d, 'minConnects') ?? num(d, 'min');
    const max = num(d, 'maxConnects') ?? num(d, 'max');
    return min !== undefined && max !== undefined
      ? `A purchase must be between ${min} and ${max} Connects.`
      : 'That number of Connects cannot be bought in one purchase.';
  },
  purchase_not_allowed: 'Your plan cannot buy Connects under the current policy.',
  payment_declined: 'Your card was declined. Nothing was charged and no Connects were added.',
  payment_unavailable: 'The payment could not be completed right now. Nothing was charged; please try again.',
  purchase_not_found: 'No such purchase.',
  purchase_already_refunded: 'That purchase was already refunded.',
  promo_code_unknown: 'That promo code does not exist. Check the spelling.',
  promo_code_not_yet_valid: 'That promo code is not valid yet.',
  promo_code_expired: 'That promo code has expired.',
  promo_code_exhausted: 'That promo code has been fully redeemed.',
  promo_code_already_redeemed: 'You already redeemed that promo code.',
  promo_code_exists: 'A promo code with that name already exists.',
  job_not_found: 'No job with that id.',
  job_exists: 'A job with that id already exists.',
  job_closed: 'This job is closed (hired, cancelled or removed).',
  proposal_not_found: 'No such proposal.',
  proposal_exists: 'That proposal already exists.',
  duplicate_proposal: 'You already applied to this job.',
  proposal_closed: 'That proposal was withdrawn or its job is closed.',
  auction_closed: 'Boosting has closed for this job; you can still apply without a boost.',
  boost_exists: 'This proposal already has a boost.',
  badge_price_above_max: (d) => {
    const price = num(d, 'weeklyPriceConnects') ?? num(d, 'price');
    return price !== undefined
      ? `The badge costs ${price} Connects a week, above your weekly maximum. Raise the maximum to turn it on.`
      : 'The badge price is above your weekly maximum. Raise the maximum to turn it on.';
  },
  policy_not_found: 'No policy with that id.',
  policy_in_force: 'That policy is already in force or past; it can no longer change.',
  policy_conflict: 'A policy with that id was already scheduled with different values. Use a new id.',
  simulation_not_found: 'No simulation with that id.',
  simulation_queue_full: 'Too many simulations are running or waiting. Try again when one has finished.',
  simulation_finished: 'That simulation has already finished.',
  population_too_large: 'The population is larger than a simulation can run.',
  clock_backwards: 'The clock only moves forward.',
  manual_clock_disabled:
    'The server runs on the real clock (start it with CONNECTS_MANUAL_CLOCK=1 to set it).',
  validation_failed: 'Some of the values are not valid.',
  not_found: 'That does not exist: it may have been removed, or the id is wrong.',
  unauthorized: 'Your session is not valid any more. Sign in again.',
  forbidden: 'Your token does not allow this.',
  payload_too_large: 'The request is too large.',
  conflict: 'This conflicts with a change made meanwhile. Reload and try again.',
  unsupported_media_type: 'The request was not sent as JSON.',
  internal: 'Something went wrong on the server. Please try again.',
  token_limit_reached: 'This freelancer has too many active tokens; revoke one first.',
  store_unavailable: 'The service is temporarily unavailable. Please try again shortly.',
  too_many_requests: 'Too many failed attempts from here. Wait a minute, then try again.',
  operator_exists: 'An operator with that id already exists. Issue it a new key instead.',
  operator_limit_reached: 'Too many operators or active keys. Revoke a key first.',
  limit_exceeded: (d) => {
    const perAction = num(d, 'perActionConnects');
    const daily = num(d, 'dailyLimit');
    const used = num(d, 'usedToday');
    if (perAction !== undefined)
      return `That is more than your role may grant or remove at once: at most ${perAction} Connects per action. Nothing was changed.`;
    if (daily !== undefined && used !== undefined)
      return `That would pass your daily limit of ${daily} Connects (${used} used today, UTC). Nothing was changed.`;
    return 'That is more Connects than your role may grant or remove (per action or today). Nothing was changed.';
  },
  history_too_long:
    'That date is too far back to work out here. Pick a more recent date, or download the history.',
  lot_not_found: 'This freelancer has no lot with that number.',
  lot_is_paid: 'That lot holds bought Connects: refund the purchase instead.',
  lot_is_held: 'Some Connects of that lot are held for a bid. Wait until the hold is settled.',
  lot_is_empty: 'That lot has no Connects left to remove.',
  lot_expiry_invalid:
    'Pick a later expiry: after today and after the current one, within 5 years of the grant.',
  report_month_in_future: 'That month has not started yet. Pick this month or an earlier one.',
} satisfies Record<ErrorCode, Message>;

const local: Record<string, string> = {
  network: 'The server could not be reached. Check your connection and try again.',
};

/** Whether trying the same request again may help: the server or the network failed, not the request. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  if (['network', 'internal', 'store_unavailable', 'payment_unavailable'].includes(error.code)) return true;
  return error.status >= 500 || error.status === 429;
}

/**
 * A sentence for any failure; validation errors keep the server's field-level
 * explanation. An operator acting on a freelancer's account reads about the
 * freelancer's Connects, not advice meant for the freelancer.
 */
export function describeError(error: unknown, voice: 'freelancer' | 'operator' = 'freelancer'): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : 'Something went wrong.';
  if (error.code === 'validation_failed') return `Some of the values are not valid: ${error.message}`;
  if (voice === 'operator' && error.code === 'insufficient_connects') {
    const have = num(error.details, 'available') ?? num(error.details, 'balance');
    return have === undefined
      ? 'The freelancer does not have that many Connects to take back.'
      : `The freelancer has only ${have} Connects available, so that many cannot be taken back.`;
  }
  if (error.code.startsWith('http_')) {
    return `The service did not answer properly (HTTP ${error.status}). Please try again shortly.`;
  }
  const message = (messages as Record<string, Message | undefined>)[error.code] ?? local[error.code];
  if (message === undefined) return error.message;
  return typeof message === 'string' ? message : message(error.details);
}
