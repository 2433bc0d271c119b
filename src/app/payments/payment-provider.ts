/**
 * The card network is the one thing that cannot exist here, so it sits
 * behind this interface. A real adapter (Stripe, Adyen...) implements the
 * same contract: a charge is idempotent by its key, and its outcome is one
 * of three kinds. Amounts are integer minor units.
 */
export interface ChargeRequest {
  /** Same key, same outcome: a retried purchase never charges twice. */
  readonly idempotencyKey: string;
  readonly amountCents: number;
  readonly currency: 'USD';
  /** A card token or, with the test provider, a test card number. */
  readonly card: string;
  readonly description: string;
}

export type ChargeOutcome =
  | { readonly status: 'succeeded'; readonly chargeId: string }
  | { readonly status: 'declined'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string; readonly retryable: true };

export interface RefundRequest {
  readonly idempotencyKey: string;
  readonly chargeId: string;
  readonly amountCents: number;
}

export type RefundOutcome =
  | { readonly status: 'succeeded'; readonly refundId: string }
  | { readonly status: 'failed'; readonly reason: string };

export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
}
