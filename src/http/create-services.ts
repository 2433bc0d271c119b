import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { defaultTimeline, type PolicyTimeline } from '../core/policy/timeline.ts';
import type { LedgerStore } from '../store/store.ts';
import { createAuthenticator } from './auth.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
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
  readonly metrics?: Metrics;
  readonly scheduler?: Scheduler;
}

/** Wires the services from their parts; the server and the tests share this one recipe. */
export function createServices(deps: ServiceDeps): Services {
  const tokens = createTokenRepository(deps.store);
  return {
    config: deps.config,
    store: deps.store,
    clock: deps.clock,
    timeline: deps.timeline ?? defaultTimeline,
    metrics: deps.metrics ?? createMetrics(),
    logger: deps.logger,
    tokens,
    authenticator: createAuthenticator(deps.adminToken, tokens),
    ...(deps.scheduler === undefined ? {} : { scheduler: deps.scheduler }),
  };
}
