import type {
  ChargeOutcome,
  ChargeRequest,
  PaymentProvider,
  RefundOutcome,
  RefundRequest,
} from './payment-provider.ts';

/** Deterministic test cards, the same numbers card networks use for testing. */
export const testCards = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  transientFailure: '4000000000009995',
} as const;

/**
 * A provider for development and tests: outcomes depend only on the card
 * number, and it keeps the idempotency contract (a key replays its first
 * outcome). A transient failure is not remembered, so a retry with the same
 * key may succeed once the "network" recovers (here: never for that card).
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  private readonly charges = new Map<string, { request: ChargeRequest; outcome: ChargeOutcome }>();
  private readonly refunds = new Map<string, RefundOutcome>();
  private refunded = new Map<string, number>();
  private counter = 0;

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const seen = this.charges.get(request.idempotencyKey);
    if (seen !== undefined) return seen.outcome;
    const outcome = this.decide(request);
    if (outcome.status !== 'failed') this.charges.set(request.idempotencyKey, { request, outcome });
    return outcome;
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const seen = this.refunds.get(request.idempotencyKey);
    if (seen !== undefined) return seen;
    const charge = [...this.charges.values()].find(
      (c) => c.outcome.status === 'succeeded' && c.outcome.chargeId === request.chargeId,
    );
    const already = this.refunded.get(request.chargeId) ?? 0;
    if (charge === undefined || already + request.amountCents > charge.request.amountCents) {
      return { status: 'failed', reason: 'refund exceeds the charge' };
    }
    this.refunded.set(request.chargeId, already + request.amountCents);
    const outcome = { status: 'succeeded' as const, refundId: `re_test_${++this.counter}` };
    this.refunds.set(request.idempotencyKey, outcome);
    return outcome;
  }

  private decide(request: ChargeRequest): ChargeOutcome {
    const card = request.card.replace(/[\s-]/g, '');
    if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) {
      return { status: 'declined', reason: 'invalid amount' };
    }
    if (card === testCards.succeeds) return { status: 'succeeded', chargeId: `ch_test_${++this.counter}` };
    if (card === testCards.transientFailure) {
      return { status: 'failed', reason: 'the card network did not answer', retryable: true };
    }
    if (card === testCards.declined) return { status: 'declined', reason: 'card declined' };
    return { status: 'declined', reason: 'unknown test card' };
  }
}
