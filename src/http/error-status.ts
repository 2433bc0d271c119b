import type { ErrorCode } from '../core/errors.ts';

/**
 * THE mapping from error code to HTTP status. It is the only place a status
 * is chosen for a business error, and `satisfies` makes the compiler refuse
 * a new code that has no row here (a missed case would otherwise surface as
 * a 500). docs/api.md lists the same table; a test keeps them equal.
 *
 * The rules: 400 malformed input, 401/403 auth, 404 a named thing does not
 * exist, 409 the request clashes with the current state (including balance
 * and idempotency), 422 a well-formed request the business rules refuse,
 * 402 the card was declined, 503 a transient failure worth retrying.
 */
export const errorStatus = {
  // ledger
  insufficient_connects: 409,
  invalid_amount: 422,
  hold_not_found: 404,
  hold_already_settled: 409,
  hold_exists: 409,
  refund_exceeds_debit: 422,
  too_many_lots: 422,
  history_too_long: 422,
  idempotency_conflict: 409,
  lot_not_found: 404,
  lot_is_paid: 409,
  lot_is_held: 409,
  lot_is_empty: 409,
  lot_expiry_invalid: 422,
  report_month_in_future: 422,
  // accounts and earning
  freelancer_not_found: 404,
  freelancer_exists: 409,
  not_eligible: 422,
  already_granted: 409,
  // plans and purchases
  plan_required: 422,
  purchase_out_of_range: 422,
  purchase_not_allowed: 422,
  payment_declined: 402,
  payment_unavailable: 503,
  purchase_not_found: 404,
  purchase_already_refunded: 409,
  // promo codes
  promo_code_unknown: 404,
  promo_code_not_yet_valid: 422,
  promo_code_expired: 422,
  promo_code_exhausted: 409,
  promo_code_already_redeemed: 409,
  promo_code_exists: 409,
  // jobs, proposals, boosts, badge
  job_not_found: 404,
  job_exists: 409,
  job_closed: 409,
  proposal_not_found: 404,
  proposal_exists: 409,
  duplicate_proposal: 409,
  proposal_closed: 409,
  auction_closed: 409,
  boost_exists: 409,
  badge_price_above_max: 422,
  // policy timeline
  policy_not_found: 404,
  policy_in_force: 409,
  policy_conflict: 409,
  simulation_not_found: 404,
  simulation_queue_full: 429,
  simulation_finished: 409,
  population_too_large: 422,
  // service
  clock_backwards: 409,
  manual_clock_disabled: 409,
  // generic request problems
  validation_failed: 400,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  conflict: 409,
  unsupported_media_type: 415,
  internal: 500,
  token_limit_reached: 409,
  store_unavailable: 503,
  too_many_requests: 429,
  operator_exists: 409,
  operator_limit_reached: 409,
  limit_exceeded: 403,
} as const satisfies Record<ErrorCode, number>;

export type ErrorStatus = (typeof errorStatus)[ErrorCode];

/** Seconds a client should wait before retrying, sent as Retry-After with these codes. */
export const retryAfterSeconds: Partial<Record<ErrorCode, number>> = {
  payment_unavailable: 5,
  store_unavailable: 5,
};

export function statusOf(code: ErrorCode): ErrorStatus {
  return errorStatus[code];
}
