import { z } from '@hono/zod-openapi';
import { toIso } from '../core/time.ts';
import { deliveryStatuses, MAX_DELIVERIES_PAGE, type Delivery } from './delivery-admin.ts';
import {
  ENDPOINT_ID_PATTERN,
  MAX_URL_LENGTH,
  type RegisteredEndpoint,
  type WebhookEndpoint,
} from './endpoints.ts';
import { MAX_LOW_BALANCE_THRESHOLD } from './settings.ts';
import { eventTypes } from './types.ts';

/**
 * Request and response schemas for the admin webhook routes, for the HTTP
 * layer to mount (docs/events.md lists the routes):
 *   POST   /v1/admin/webhooks                      createWebhookBody -> 201 createdWebhook
 *   GET    /v1/admin/webhooks                      -> 200 webhookList
 *   DELETE /v1/admin/webhooks/{id}                 webhookIdParams -> 204
 *   GET    /v1/admin/webhooks/{id}/deliveries      webhookIdParams, deliveryQuery -> 200 deliveryList
 *   POST   /v1/admin/webhooks/{id}/retry-failed    webhookIdParams -> 200 retryFailedResult
 *   GET    /v1/admin/low-balance-threshold         -> 200 lowBalanceThreshold
 *   PUT    /v1/admin/low-balance-threshold         lowBalanceThreshold -> 200 lowBalanceThreshold
 * Use-case errors: validation_failed (400), not_found (404), conflict (409, too many endpoints).
 */

const instant = z.string().openapi({ format: 'date-time', example: '2026-03-10T12:00:00.000Z' });

export const eventTypeSchema = z.enum(eventTypes).openapi('WebhookEventType');

export const createWebhookBody = z
  .strictObject({
    url: z.string().min(1).max(MAX_URL_LENGTH).openapi({
      format: 'uri',
      example: 'https://hooks.example.com/connects',
      description: 'http(s), no credentials.',
    }),
    events: z
      .array(eventTypeSchema)
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: 'Event types to receive; omit for every type.' }),
  })
  .openapi('CreateWebhook');

const webhookFields = {
  id: z.string().openapi({ example: 'wh_5f2c0e9a1b3d4c6e7f801234' }),
  url: z.string(),
  events: z.array(eventTypeSchema).nullable().openapi({ description: 'null: every event type.' }),
  createdAt: instant,
};

export const webhookSchema = z.object(webhookFields).openapi('WebhookEndpoint');

export const createdWebhook = z
  .object({
    ...webhookFields,
    secret: z.string().openapi({
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      description: 'Signing secret (Standard Webhooks). Shown only in this response.',
    }),
  })
  .openapi('WebhookEndpointCreated');

export const webhookList = z.object({ webhooks: z.array(webhookSchema) });

export const webhookIdParams = z.strictObject({
  id: z
    .string()
    .regex(ENDPOINT_ID_PATTERN, 'must be wh_ followed by 24 hex digits')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'wh_5f2c0e9a1b3d4c6e7f801234' }),
});

export const deliveryQuery = z.strictObject({
  status: z.enum(deliveryStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_DELIVERIES_PAGE).optional(),
});

export const deliverySchema = z
  .object({
    eventId: z.string().openapi({ example: 'evt_1042' }),
    type: eventTypeSchema,
    freelancerId: z.string(),
    status: z.enum(deliveryStatuses),
    attempts: z.number().int(),
    nextAttemptAt: instant.nullable(),
    lastAttemptAt: instant.nullable(),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'HTTP status; null when no response came.' }),
    lastError: z.string().nullable(),
    deliveredAt: instant.nullable(),
  })
  .openapi('WebhookDelivery');

export const deliveryList = z.object({ deliveries: z.array(deliverySchema) });

export const retryFailedResult = z.object({ requeued: z.number().int() });

export const lowBalanceThreshold = z
  .strictObject({
    threshold: z.number().int().min(0).max(MAX_LOW_BALANCE_THRESHOLD).openapi({
      description: 'balance.low fires when a balance falls below this; 0 turns it off.',
      example: 10,
    }),
  })
  .openapi('LowBalanceThreshold');

const iso = (t: number | null) => (t === null ? null : toIso(t));

export const webhookToWire = (e: WebhookEndpoint): z.infer<typeof webhookSchema> => ({
  id: e.id,
  url: e.url,
  events: e.events === null ? null : [...e.events],
  createdAt: toIso(e.createdAt),
});

export const createdWebhookToWire = (e: RegisteredEndpoint): z.infer<typeof createdWebhook> => ({
  ...webhookToWire(e),
  secret: e.secret,
});

export const deliveryToWire = (d: Delivery): z.infer<typeof deliverySchema> => ({
  ...d,
  nextAttemptAt: iso(d.nextAttemptAt),
  lastAttemptAt: iso(d.lastAttemptAt),
  deliveredAt: iso(d.deliveredAt),
});
