import type { PaymentProvider } from '../app/payments/payment-provider.ts';
import type { TaxTable } from '../app/purchases/tax.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { createConnects } from '../connects.ts';
import type { PolicyTimeline } from '../core/policy/timeline.ts';
import type { ReplicaReads } from '../store/read-replica.ts';
import { resolveOperatorKey } from '../app/operators/operators.ts';
import { actorStore } from '../store/actor-store.ts';
import type { LedgerStore } from '../store/store.ts';
import { createAuthenticator } from './auth.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { currentRequestScope } from './request-scope.ts';
import { SchedulerLoop } from './scheduler-loop.ts';
import type { Scheduler, Services } from './services.ts';
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
  /** Defaults to a SchedulerLoop (started by the server unless the clock is manual). */
  readonly scheduler?: Scheduler;
  /** Between runs of the default scheduler loop (default 60 s). */
  readonly tickIntervalMs?: number;
  /** Reads that may lag, on a replica (DATABASE_READ_URL); absent: every read on `store`. */
  readonly replicaReads?: ReplicaReads;
}

/** Wires the services from their parts; the server and the tests share this one recipe. */
export function createServices(deps: ServiceDeps): Services {
  const tokens = createTokenRepository(deps.store);
  // An operator's request writes through this view: its entries, jobs and promo codes carry its actor.
  const store = actorStore(deps.store, currentRequestScope);
  // The composition root every caller shares: the use cases' context and the scheduler's steps.
  const connects = createConnects({
    store,
    clock: deps.clock,
    ...(deps.timeline === undefined ? {} : { timeline: deps.timeline }),
    ...(deps.payments === undefined ? {} : { payments: deps.payments }),
    ...(deps.taxRates === undefined ? {} : { taxRates: deps.taxRates }),
  });
  const scheduler =
    deps.scheduler ??
    new SchedulerLoop({
      connects,
      clock: deps.clock,
      logger: deps.logger,
      ...(deps.tickIntervalMs === undefined ? {} : { intervalMs: deps.tickIntervalMs }),
    });
  const replica = deps.replicaReads;
  return {
    config: deps.config,
    store,
    clock: deps.clock,
    timeline: connects.timeline,
    app: connects.ctx,
    reads:
      replica === undefined
        ? { store, app: connects.ctx }
        : { store: replica.store, app: { ...connects.ctx, store: replica.store }, replica },
    connects,
    metrics: deps.metrics ?? createMetrics(),
    logger: deps.logger,
    tokens,
    // Operator keys are looked up on the primary on every request: a revocation holds at once everywhere.
    authenticator: createAuthenticator(deps.adminToken, tokens, (key) =>
      resolveOperatorKey(deps.store, key, deps.clock.now()),
    ),
    scheduler,
  };
}
