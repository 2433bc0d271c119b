import type { PolicyTimeline } from '../core/policy/timeline.ts';
import type { Instant } from '../core/time.ts';
import type { LedgerStore as Store } from '../store/store.ts';
import type { PaymentProvider } from './payments/payment-provider.ts';

/**
 * Periodic work other areas plug into the scheduler's `tick`. Each call does
 * at most `limit` items and returns how many it did; the tick calls again
 * while a call comes back full, so a hook never needs its own loop.
 */
export interface TickHooks {
  /**
   * Charges availability badges whose next Connect is due at or before now:
   * the badges handled, or those and the Connects charged.
   */
  chargeBadges?: (now: Instant, limit: number) => Promise<number | BadgeCharges>;
  /** Closes boost auctions that reached their end at or before now. */
  closeAuctions?: (now: Instant, limit: number) => Promise<number>;
}

/** What one call of the badge hook did: badges handled, and the Connects charged for them. */
export interface BadgeCharges {
  readonly badges: number;
  readonly connects: number;
}

/** What every use case receives: the store, the policy timeline and the payment provider. */
export interface AppContext {
  store: Store;
  timeline: PolicyTimeline;
  payments: PaymentProvider;
  /**
   * Work the scheduler runs on each tick besides allotments and expiries.
   * `createConnects` (src/connects.ts) wires every hook; a context built
   * without them (a test of one phase) runs a tick that skips those steps.
   */
  hooks?: TickHooks;
}
