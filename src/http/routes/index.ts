import type { RouteModule } from '../services.ts';
import { adminClockRoutes } from './admin-clock.ts';
import { adminTickRoutes } from './admin-tick.ts';
import { availabilityBadgeRoutes } from './availability-badge.ts';
import { freelancerTokenRoutes } from './freelancer-tokens.ts';
import { healthRoutes } from './health.ts';
import { jobActionRoutes } from './jobs-actions.ts';
import { jobRoutes } from './jobs.ts';
import { metricsRoutes } from './metrics.ts';
import { openApiRoutes } from './openapi.ts';
import { policyRoutes } from './policy.ts';
import { proposalClientRoutes } from './proposals-client.ts';
import { proposalRoutes } from './proposals.ts';

/**
 * Every route file, registered in this order by buildApp. A new resource is
 * one file under routes/ (with its test beside it) and one line here.
 */
export const routeModules: readonly RouteModule[] = [
  healthRoutes,
  metricsRoutes,
  openApiRoutes,
  policyRoutes,
  freelancerTokenRoutes,
  adminClockRoutes,
  jobRoutes,
  jobActionRoutes,
  proposalRoutes,
  proposalClientRoutes,
  availabilityBadgeRoutes,
  adminTickRoutes,
];
