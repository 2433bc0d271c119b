import { describe, expect, it } from 'vitest';
import {
  createWebhookBody,
  deliveryQuery,
  deliveryToWire,
  lowBalanceThreshold,
  webhookIdParams,
  webhookToWire,
} from './schemas.ts';

const T = Date.UTC(2026, 2, 10, 12);

describe('webhook route schemas', () => {
  it('accept a URL with or without an event filter', () => {
    expect(createWebhookBody.parse({ url: 'https://h.example/x' })).toEqual({ url: 'https://h.example/x' });
    expect(createWebhookBody.parse({ url: 'https://h.example/x', events: ['balance.low'] }).events).toEqual([
      'balance.low',
    ]);
  });

  it('refuse unknown fields, unknown event types, empty filters and overlong URLs', () => {
    expect(createWebhookBody.safeParse({ url: 'https://h.example', secret: 'x' }).success).toBe(false);
    expect(
      createWebhookBody.safeParse({ url: 'https://h.example', events: ['connects.stolen'] }).success,
    ).toBe(false);
    expect(createWebhookBody.safeParse({ url: 'https://h.example', events: [] }).success).toBe(false);
    expect(createWebhookBody.safeParse({ url: `https://h.example/${'a'.repeat(2048)}` }).success).toBe(false);
    expect(createWebhookBody.safeParse({ url: 42 }).success).toBe(false);
  });

  it('bound ids, query and threshold', () => {
    expect(webhookIdParams.safeParse({ id: 'wh_0123456789abcdef01234567' }).success).toBe(true);
    expect(webhookIdParams.safeParse({ id: "wh_x' OR 1=1" }).success).toBe(false);
    expect(deliveryQuery.parse({ status: 'failed', limit: '20' })).toEqual({ status: 'failed', limit: 20 });
    expect(deliveryQuery.safeParse({ limit: '501' }).success).toBe(false);
    expect(lowBalanceThreshold.safeParse({ threshold: 0 }).success).toBe(true);
    expect(lowBalanceThreshold.safeParse({ threshold: -1 }).success).toBe(false);
    expect(lowBalanceThreshold.safeParse({ threshold: 2.5 }).success).toBe(false);
    expect(lowBalanceThreshold.safeParse({ threshold: 10_000_000 }).success).toBe(false);
  });

  it('write instants as ISO strings', () => {
    expect(webhookToWire({ id: 'wh_1', url: 'https://h.example/', events: null, createdAt: T })).toEqual({
      id: 'wh_1',
      url: 'https://h.example/',
      events: null,
      createdAt: '2026-03-10T12:00:00.000Z',
    });
    const wire = deliveryToWire({
      eventId: 'evt_7',
      type: 'connects.spent',
      freelancerId: 'fl_ada',
      status: 'delivered',
      attempts: 2,
      nextAttemptAt: null,
      lastAttemptAt: T,
      lastStatus: 200,
      lastError: null,
      deliveredAt: T,
    });
    expect(wire).toMatchObject({
      lastAttemptAt: '2026-03-10T12:00:00.000Z',
      deliveredAt: '2026-03-10T12:00:00.000Z',
    });
  });
});
