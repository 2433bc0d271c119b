import type { PolicyTimeline } from '../core/policy/timeline.ts';
import type { LedgerStore as Store } from '../store/store.ts';
import type { PaymentProvider } from './payments/payment-provider.ts';

/** What every use case receives: the store, the policy timeline and the payment provider. */
export interface AppContext {
  store: Store;
  timeline: PolicyTimeline;
  payments: PaymentProvider;
}
