import type { PlanName } from '../../core/policy/schema.ts';
import { defaultTimeline, type PolicyTimeline } from '../../core/policy/timeline.ts';
import type { LedgerStore } from '../../store/store.ts';
import { freshAccount } from '../../store/testing/fixtures.ts';
import type {
  ChargeOutcome,
  ChargeRequest,
  RefundOutcome,
  RefundRequest,
} from '../payments/payment-provider.ts';
import { TestPaymentProvider } from '../payments/test-provider.ts';
import type { PurchaseContext } from './buy-connects.ts';
import type { TaxTable } from './tax.ts';

/**
 * The test provider, counting what reaches it: every call, and the distinct
 * charges that succeeded (a retry that replays a charge adds a call, not a
 * charge). Not a mock: outcomes are the real test provider's.
 */
export class CountingPaymentProvider extends TestPaymentProvider {
  chargeCalls = 0;
  refundCalls = 0;
  readonly chargeIds = new Set<string>();

  override async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    this.chargeCalls += 1;
    const outcome = await super.charge(request);
    if (outcome.status === 'succeeded') this.chargeIds.add(outcome.chargeId);
    return outcome;
  }

  override async refund(request: RefundRequest): Promise<RefundOutcome> {
    this.refundCalls += 1;
    return super.refund(request);
  }
}

export interface TestContext extends PurchaseContext {
  readonly payments: CountingPaymentProvider;
}

export function testContext(
  store: LedgerStore,
  options: { timeline?: PolicyTimeline; taxRates?: TaxTable } = {},
): TestContext {
  return {
    store,
    timeline: options.timeline ?? defaultTimeline,
    payments: new CountingPaymentProvider(),
    ...(options.taxRates === undefined ? {} : { taxRates: options.taxRates }),
  };
}

/** Registration instant of test freelancers: before every era the tests use. */
export const REGISTERED_AT = Date.UTC(2016, 0, 15);

/**
 * Adds a freelancer row (migration 020) directly, with the registration cycle
 * already allotted, so these tests need only the purchase and promo rules.
 */
export async function addFreelancer(store: LedgerStore, plan: PlanName = 'basic'): Promise<string> {
  const id = freshAccount('fl');
  await store.query(
    `INSERT INTO freelancers (id, registered_at, anchor_day, plan, last_allotted_cycle, next_cycle_at)
     VALUES ($1, $2, 15, $3, 0, $4)`,
    [id, REGISTERED_AT, plan, Date.UTC(2016, 1, 15)],
  );
  return id;
}
