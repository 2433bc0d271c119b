import { createRoute } from '@hono/zod-openapi';
import { listDeliveries, retryFailedDeliveries } from '../../events/delivery-admin.ts';
import { deleteEndpoint, listEndpoints, registerEndpoint } from '../../events/endpoints.ts';
import {
  createWebhookBody,
  createdWebhook,
  createdWebhookToWire,
  deliveryList,
  deliveryQuery,
  deliveryToWire,
  lowBalanceThreshold,
  retryFailedResult,
  webhookIdParams,
  webhookList,
  webhookToWire,
} from '../../events/schemas.ts';
import { getLowBalanceThreshold, setLowBalanceThreshold } from '../../events/settings.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { unwrap } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import type { RouteModule } from '../services.ts';

/** Admin routes for webhooks (docs/events.md), over the events area's endpoints and deliveries. */
const json = <S>(schema: S) => ({ 'application/json': { schema } });
const common = { tags: ['webhooks'], security: bearerSecurity, middleware: requireAdmin };

const createRouteDef = createRoute({
  ...common,
  operationId: 'createWebhook',
  method: 'post',
  path: '/v1/admin/webhooks',
  summary: 'Registers a webhook endpoint; the signing secret is returned only here.',
  request: { body: { required: true, content: json(createWebhookBody) } },
  responses: {
    201: { description: 'The endpoint and its secret.', content: json(createdWebhook) },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

const listRouteDef = createRoute({
  ...common,
  operationId: 'listWebhooks',
  method: 'get',
  path: '/v1/admin/webhooks',
  summary: 'Active webhook endpoints, without their secrets.',
  responses: {
    200: { description: 'Endpoints, oldest first.', content: json(webhookList) },
    ...errorResponses(401, 403),
  },
});

const deleteRouteDef = createRoute({
  ...common,
  operationId: 'deleteWebhook',
  method: 'delete',
  path: '/v1/admin/webhooks/{id}',
  summary: 'Deletes an endpoint and cancels its pending deliveries.',
  request: { params: webhookIdParams },
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(400, 401, 403, 404) },
});

const deliveriesRouteDef = createRoute({
  ...common,
  operationId: 'listWebhookDeliveries',
  method: 'get',
  path: '/v1/admin/webhooks/{id}/deliveries',
  summary: "An endpoint's deliveries, newest event first; filter by status to find failed ones.",
  request: { params: webhookIdParams, query: deliveryQuery },
  responses: {
    200: { description: 'Deliveries.', content: json(deliveryList) },
    ...errorResponses(400, 401, 403),
  },
});

const retryRouteDef = createRoute({
  ...common,
  operationId: 'retryFailedWebhookDeliveries',
  method: 'post',
  path: '/v1/admin/webhooks/{id}/retry-failed',
  summary: "Puts an endpoint's failed deliveries back in the queue with a fresh retry schedule.",
  request: { params: webhookIdParams },
  responses: {
    200: { description: 'How many were requeued.', content: json(retryFailedResult) },
    ...errorResponses(400, 401, 403),
  },
});

const getThresholdDef = createRoute({
  ...common,
  operationId: 'getLowBalanceThreshold',
  method: 'get',
  path: '/v1/admin/low-balance-threshold',
  summary: 'The balance below which balance.low fires.',
  responses: {
    200: { description: 'The threshold.', content: json(lowBalanceThreshold) },
    ...errorResponses(401, 403),
  },
});

const putThresholdDef = createRoute({
  ...common,
  operationId: 'setLowBalanceThreshold',
  method: 'put',
  path: '/v1/admin/low-balance-threshold',
  summary: 'Sets the low-balance threshold (0 turns balance.low off) for entries written from now on.',
  request: { body: { required: true, content: json(lowBalanceThreshold) } },
  responses: {
    200: { description: 'The new threshold.', content: json(lowBalanceThreshold) },
    ...errorResponses(400, 401, 403, 413, 415),
  },
});

export const webhookRoutes: RouteModule = (app, { store, clock, config }) => {
  const endpointOptions = { allowInternalTargets: config.webhookAllowPrivate };
  app.openapi(createRouteDef, async (c) => {
    const registered = unwrap(
      await registerEndpoint(store, c.req.valid('json'), clock.now(), endpointOptions),
    );
    return c.json(createdWebhookToWire(registered), 201);
  });

  app.openapi(listRouteDef, async (c) =>
    c.json({ webhooks: (await listEndpoints(store)).map(webhookToWire) }, 200),
  );

  app.openapi(deleteRouteDef, async (c) => {
    unwrap(await deleteEndpoint(store, c.req.valid('param').id, clock.now()));
    return c.body(null, 204);
  });

  app.openapi(deliveriesRouteDef, async (c) => {
    const deliveries = await listDeliveries(store, c.req.valid('param').id, c.req.valid('query'));
    return c.json({ deliveries: deliveries.map(deliveryToWire) }, 200);
  });

  app.openapi(retryRouteDef, async (c) =>
    c.json(await retryFailedDeliveries(store, c.req.valid('param').id, clock.now()), 200),
  );

  app.openapi(getThresholdDef, async (c) => c.json({ threshold: await getLowBalanceThreshold(store) }, 200));

  app.openapi(putThresholdDef, async (c) => {
    const threshold = unwrap(await setLowBalanceThreshold(store, c.req.valid('json').threshold, clock.now()));
    return c.json({ threshold }, 200);
  });
};
