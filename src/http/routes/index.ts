import type { RouteModule } from '../services.ts';
import { adminAuditRoutes } from './admin-audit.ts';
import { adminBadgePriceRoutes } from './admin-badge-price.ts';
import { adminClockRoutes } from './admin-clock.ts';
import { adminConsoleRoutes } from './admin-console.ts';
import { adminGrantRoutes } from './admin-grants.ts';
import { adminLotRoutes } from './admin-lots.ts';
import { adminLowBalanceRoutes } from './admin-low-balance.ts';
import { adminOperatorRoutes } from './admin-operators.ts';
import { adminPolicyRoutes } from './admin-policies.ts';
import { adminReportRoutes } from './admin-reports.ts';
import { adminSimulationRoutes } from './admin-simulations.ts';
import { adminTickRoutes } from './admin-tick.ts';
import { availabilityBadgeRoutes } from './availability-badge.ts';
import { balanceRoutes } from './balance.ts';
import { entryRoutes } from './entries.ts';
import { freelancerProposalRoutes } from './freelancer-proposals.ts';
import { freelancerTokenRoutes } from './freelancer-tokens.ts';
import { freelancerRewardRoutes } from './freelancers-rewards.ts';
import { freelancerRoutes } from './freelancers.ts';
import { healthRoutes } from './health.ts';
import { jobActionRoutes } from './jobs-actions.ts';
import { jobRoutes } from './jobs.ts';
import { metricsRoutes } from './metrics.ts';
import { openApiRoutes } from './openapi.ts';
import { planRoutes } from './plans.ts';
import { policyRoutes } from './policy.ts';
import { promoRoutes } from './promo.ts';
import { proposalClientRoutes } from './proposals-client.ts';
import { proposalRoutes } from './proposals.ts';
import { purchaseReceiptRoutes } from './purchase-receipt.ts';
import { purchaseRoutes } from './purchases.ts';
import { sessionRoutes } from './session.ts';
import { webhookRoutes } from './webhooks.ts';

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
  sessionRoutes,
  adminOperatorRoutes,
  adminAuditRoutes,
  adminClockRoutes,
  adminSimulationRoutes,
  jobRoutes,
  jobActionRoutes,
  proposalRoutes,
  freelancerProposalRoutes,
  proposalClientRoutes,
  availabilityBadgeRoutes,
  freelancerRoutes,
  balanceRoutes,
  entryRoutes,
  planRoutes,
  purchaseRoutes,
  purchaseReceiptRoutes,
  promoRoutes,
  freelancerRewardRoutes,
  adminGrantRoutes,
  adminLotRoutes,
  adminLowBalanceRoutes,
  adminBadgePriceRoutes,
  adminPolicyRoutes,
  adminTickRoutes,
  adminConsoleRoutes,
  adminReportRoutes,
  webhookRoutes,
];
