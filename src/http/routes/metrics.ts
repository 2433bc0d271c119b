import { createRoute, z } from '@hono/zod-openapi';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/registry.ts';
import type { RouteModule } from '../services.ts';

const route = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  security: [],
  tags: ['service'],
  summary: 'Prometheus metrics: requests, latencies, operations by type and outcome, batch sizes.',
  responses: {
    200: {
      description: 'The Prometheus text exposition format, version 0.0.4.',
      content: { 'text/plain': { schema: z.string() } },
    },
  },
});

export const metricsRoutes: RouteModule = (app, { metrics }) => {
  app.openapi(route, (c) => c.text(metrics.render(), 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE }));
};
