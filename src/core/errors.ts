/**
 * Every expected failure in Connects has a stable code from this registry.
 * Codes are part of the public contract (HTTP bodies, CLI output, docs): never
 * rename one, only add. The HTTP layer maps each code to a status in one table
 * that the compiler checks for completeness.
 */
export const errorCodes = {
  // ledger
  insufficient_connects: 'The available balance is smaller than the amount needed.',
  invalid_amount: 'An amount of Connects or money is not a whole number in its allowed range.',
  hold_not_found: 'No hold with this id exists on the account.',
  hold_already_settled: 'The hold was already captured or released.',
  hold_exists: 'A hold with this id already exists on the account.',
  refund_exceeds_debit: 'A refund asks for more Connects than the debit it reverses drew.',
  too_many_lots: 'The operation would touch more lots than the per-operation limit.',
  idempotency_conflict: 'The idempotency key was used before with a different request.',
  history_too_long: 'The history up to the instant asked for is longer than one read replays.',
  lot_not_found: 'No lot with this number exists on the account.',
  lot_is_paid: 'Paid Connects are refunded through their purchase, not voided or expired.',
  lot_is_held: 'Connects of the lot are in an active hold; settle the hold first.',
  lot_is_empty: 'The lot holds no Connects to void or expire.',
  lot_expiry_invalid: 'A lot expiry only moves later: after now, at most 5 years after its issue.',
  report_month_in_future: 'The report month has not started yet by the service clock.',
  // accounts and earning
  freelancer_not_found: 'No freelancer with this id is registered.',
  freelancer_exists: 'A freelancer with this id is already registered (with different details).',
  not_eligible: 'The freelancer does not meet the criteria for this reward.',
  already_granted: 'This one-time reward was already granted to the freelancer.',
  // plans and purchases
  plan_required: 'This feature needs a Freelancer Plus membership.',
  purchase_out_of_range: 'A purchase is a whole number of Connects between the policy minimum and maximum.',
  purchase_not_allowed: 'The freelancer’s plan cannot buy Connects under the policy in force.',
  payment_declined: 'The payment was declined; nothing was charged or granted.',
  payment_unavailable: 'The payment failed for a transient reason; nothing was granted. Retry later.',
  purchase_not_found: 'No purchase with this id exists for the freelancer.',
  purchase_already_refunded: 'The purchase was already refunded.',
  // promo codes
  promo_code_unknown: 'No promo code with this code exists.',
  promo_code_not_yet_valid: 'The promo code cannot be redeemed before its validity window starts.',
  promo_code_expired: 'The promo code’s validity window has ended.',
  promo_code_exhausted: 'The promo code has reached its maximum number of redemptions.',
  promo_code_already_redeemed: 'The freelancer already redeemed this promo code.',
  promo_code_exists: 'A promo code with this code already exists (with different details).',
  // jobs, proposals, boosts, badge
  job_not_found: 'No job with this id exists.',
  job_exists: 'A job with this id already exists (with different details).',
  job_closed: 'The job no longer accepts this action (hired, cancelled or removed).',
  proposal_not_found: 'No proposal with this id exists.',
  proposal_exists: 'A proposal with this id already exists (with different details).',
  duplicate_proposal: 'The freelancer already submitted a proposal to this job.',
  proposal_closed: 'The proposal was withdrawn or its job is closed.',
  auction_closed: 'The job’s boost auction has closed.',
  boost_exists: 'The proposal already has a boost; a released boost cannot come back.',
  badge_price_above_max: 'The availability badge price is above the freelancer’s weekly maximum.',
  // policy timeline
  policy_not_found: 'No policy with this id is in the timeline.',
  policy_in_force: 'The policy is in force or past; only a scheduled policy can be replaced or withdrawn.',
  policy_conflict: 'A policy with this id was scheduled before with a different body.',
  // simulator
  simulation_not_found: 'No simulation with this id exists.',
  simulation_queue_full: 'Too many simulations are running or queued; wait for one to finish.',
  simulation_finished: 'The simulation has already finished; there is nothing to cancel.',
  population_too_large: 'The population is larger than one simulation may run.',
  // service
  clock_backwards: 'The manual clock can only move forward.',
  manual_clock_disabled: 'The clock can only be set when the server runs with CONNECTS_MANUAL_CLOCK=1.',
  // generic request problems
  validation_failed: 'The request is malformed or a field is out of range.',
  not_found: 'The resource does not exist.',
  unauthorized: 'A valid bearer token is required.',
  forbidden: 'The token does not allow this action.',
  payload_too_large: 'The request body exceeds the size limit.',
  conflict: 'The request conflicts with the current state.',
  unsupported_media_type: 'The request body must be sent as application/json.',
  internal: 'An unexpected error occurred on the server; it was logged.',
  token_limit_reached: 'The freelancer has the maximum number of active API tokens; revoke one first.',
  store_unavailable: 'The service cannot reach its database right now. Retry later.',
  too_many_requests: 'Too many failed attempts from this client; wait for the time in Retry-After.',
  // operators
  operator_exists: 'An operator with this id already exists; issue it another key instead.',
  operator_limit_reached: 'The operator limit or the active-key limit of one operator is reached.',
  limit_exceeded: 'The amount is above what this operator role may grant or remove per action or per day.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** An expected failure: a value, never a thrown exception inside the core. */
export interface ConnectsError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function connectsError(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): ConnectsError {
  return details === undefined ? { code, message } : { code, message, details };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ConnectsError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(error: ConnectsError): Result<T> => ({ ok: false, error });

/** A thrown form of ConnectsError, for the edges (use cases, HTTP) that prefer exceptions. */
export class ConnectsFailure extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(error: ConnectsError) {
    super(error.message);
    this.name = 'ConnectsFailure';
    this.code = error.code;
    this.details = error.details;
  }
  toError(): ConnectsError {
    return connectsError(this.code, this.message, this.details as Record<string, unknown> | undefined);
  }
}

/** Programmer errors are assertions: they crash loudly instead of becoming business errors. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
