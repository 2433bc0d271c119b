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

const tables = new WeakMap<LedgerStore, Promise<unknown>>();

/**
 * Adds a freelancer the way the accounts area will. Until its migration and
 * register use case land, the `freelancers (id, plan)` table is created here.
 */
export async function addFreelancer(store: LedgerStore, plan: PlanName = 'basic'): Promise<string> {
  let ready = tables.get(store);
  if (ready === undefined) {
    ready = store.query('CREATE TABLE IF NOT EXISTS freelancers (id text PRIMARY KEY, plan text NOT NULL)');
    tables.set(store, ready);
  }
  await ready;
  const id = freshAccount('fl');
  await store.query('INSERT INTO freelancers (id, plan) VALUES ($1, $2)', [id, plan]);
  return id;
}
