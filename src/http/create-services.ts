import { chargeDueBadges } from '../app/badge/charge-availability-badges.ts';
import { closeDueAuctions } from '../app/boosts/close-due-auctions.ts';
import type { PaymentProvider } from '../app/payments/payment-provider.ts';
import { TestPaymentProvider } from '../app/payments/test-provider.ts';
import type { PurchaseContext } from '../app/purchases/buy-connects.ts';
import type { TaxTable } from '../app/purchases/tax.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { defaultTimeline, type PolicyTimeline } from '../core/policy/timeline.ts';
import type { LedgerStore } from '../store/store.ts';
import { createAuthenticator } from './auth.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import type { Scheduler, Services } from './services.ts';
import { SchedulerLoop } from '../scheduler-loop.ts';
import { pruneIdempotentWrites } from './routes/idempotent-write.ts';
import { createTokenRepository } from './tokens.ts';

export interface ServiceDeps {
  readonly config: Config;
  readonly store: LedgerStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Resolved by resolveAdminToken (server) or chosen by a test. */
  readonly adminToken: string;
  readonly timeline?: PolicyTimeline;
  /**
   * The card network. Only the built-in TestPaymentProvider ships (test cards,
   * docs/api.md); an operator plugs in a real one (Stripe, Adyen...) by
   * implementing PaymentProvider (src/app/payments/payment-provider.ts) and
   * passing it here.
   */
  readonly payments?: PaymentProvider;
  /** Sales tax or VAT by jurisdiction, added on top of purchase prices; absent: no tax anywhere. */
  readonly taxRates?: TaxTable;
  readonly metrics?: Metrics;
  /** Defaults to a SchedulerLoop on the app context (started by the server unless the clock is manual). */
  readonly scheduler?: Scheduler;
  /** Between runs of the default scheduler loop (default 60 s). */
  readonly tickIntervalMs?: number;
}

/** The use cases' context, with every scheduler hook that exists wired in. */
export function createAppContext(
  store: LedgerStore,
  timeline: PolicyTimeline,
  payments: PaymentProvider,
  taxRates?: TaxTable,
): PurchaseContext {
  const ctx: PurchaseContext = { store, timeline, payments, ...(taxRates === undefined ? {} : { taxRates }) };
  ctx.hooks = {
    chargeBadges: (now, limit) => chargeDueBadges(ctx, now, limit),
    closeAuctions: (now, limit) => closeDueAuctions(ctx, now, limit),
  };
  return ctx;
}

/** Wires the services from their parts; the server and the tests share this one recipe. */
export function createServices(deps: ServiceDeps): Services {
  const tokens = createTokenRepository(deps.store);
  const timeline = deps.timeline ?? defaultTimeline;
  const app = createAppContext(
    deps.store,
    timeline,
    deps.payments ?? new TestPaymentProvider(),
    deps.taxRates,
  );
  const scheduler =
    deps.scheduler ??
    new SchedulerLoop({
      ctx: app,
      clock: deps.clock,
      logger: deps.logger,
      ...(deps.tickIntervalMs === undefined ? {} : { intervalMs: deps.tickIntervalMs }),
      pruning: [(now, limit) => pruneIdempotentWrites(deps.store, now, limit)],
    });
  return {
    config: deps.config,
    store: deps.store,
    clock: deps.clock,
    timeline,
    app,
    metrics: deps.metrics ?? createMetrics(),
    logger: deps.logger,
    tokens,
    authenticator: createAuthenticator(deps.adminToken, tokens),
    scheduler,
  };
}
