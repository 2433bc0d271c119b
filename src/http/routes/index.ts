import type { RouteModule } from '../services.ts';
import { adminClockRoutes } from './admin-clock.ts';
import { adminTickRoutes } from './admin-tick.ts';
import { freelancerTokenRoutes } from './freelancer-tokens.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes } from './metrics.ts';
import { openApiRoutes } from './openapi.ts';
import { policyRoutes } from './policy.ts';

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
  adminTickRoutes,
];
