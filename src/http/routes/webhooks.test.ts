import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeliveries } from '../../events/delivery-admin.ts';
import { WebhookDispatcher } from '../../events/dispatcher.ts';
import { registerEndpoint } from '../../events/endpoints.ts';
import { verifyWebhook } from '../../events/signing.ts';
import {
  localReceiverOptions as local,
  startReceiver,
  type TestReceiver,
} from '../../events/testing/receiver.ts';
import { freshAccount, grant, T0 } from '../../store/testing/fixtures.ts';
import { testEngines } from '../../store/testing/test-engines.ts';
import { openTestApi, TEST_START, type TestApi } from '../testing/test-api.ts';
import { webhookRoutes } from './webhooks.ts';

describe.each(testEngines)('admin webhook routes on $name', (engine) => {
  let api: TestApi;
  let receiver: TestReceiver;
  beforeAll(async () => {
    api = await openTestApi(engine, { webhookAllowPrivate: true });
    // Mounted here as routes/index.ts would mount it.
    webhookRoutes(api.app, api.services);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await api.close();
  });

  const post = (path: string, body: unknown, token?: string | null) =>
    api.call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(token === undefined ? {} : { token }),
    });

  it('registers, lists, delivers, shows deliveries and deletes an endpoint', async () => {
    const created = await post('/v1/admin/webhooks', { url: receiver.url, events: ['connects.granted'] });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as {
      id: string;
      secret: string;
      createdAt: string;
      events: string[];
    };
    expect(endpoint).toMatchObject({ url: receiver.url, events: ['connects.granted'] });
    expect(endpoint.createdAt).toBe(new Date(TEST_START).toISOString());

    const listed = (await (await api.call('/v1/admin/webhooks')).json()) as { webhooks: { id: string }[] };
    expect(listed.webhooks.map((w) => w.id)).toContain(endpoint.id);
    expect(JSON.stringify(listed)).not.toContain('whsec_');

    const account = freshAccount();
    const granted = await api.services.store.execute({ account, op: grant(25), now: TEST_START });
    expect(granted.ok).toBe(true);
    await new WebhookDispatcher(api.services.store, { clock: () => TEST_START, ...local }).dispatchOnce(
      TEST_START,
    );
    const [request] = receiver.received;
    expect(request && verifyWebhook(endpoint.secret, request.headers, request.body, Date.now()).ok).toBe(
      true,
    );

    const deliveries = await api.call(
      `/v1/admin/webhooks/${endpoint.id}/deliveries?status=delivered&limit=10`,
    );
    expect(deliveries.status).toBe(200);
    expect(await deliveries.json()).toMatchObject({
      deliveries: [{ type: 'connects.granted', freelancerId: account, status: 'delivered', attempts: 1 }],
    });
    const retried = await post(`/v1/admin/webhooks/${endpoint.id}/retry-failed`, undefined);
    expect(await retried.json()).toEqual({ requeued: 0 });

    expect((await api.call(`/v1/admin/webhooks/${endpoint.id}`, { method: 'DELETE' })).status).toBe(204);
    const again = await api.call(`/v1/admin/webhooks/${endpoint.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const before = await (await api.call('/v1/admin/webhooks')).json();
    for (const body of [
      { url: 'ftp://x.example' },
      { url: 'https://x.example', events: ['connects.stolen'] },
      { url: 'https://x.example', extra: 1 },
      { url: 42 },
      {},
    ]) {
      const r = await post('/v1/admin/webhooks', body);
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect((await api.call('/v1/admin/webhooks/not-an-id', { method: 'DELETE' })).status).toBe(400);
    expect((await api.call('/v1/admin/webhooks/wh_0123456789abcdef01234567/deliveries?limit=0')).status).toBe(
      400,
    );
    expect(await (await api.call('/v1/admin/webhooks')).json()).toEqual(before);
  });

  it('reads and sets the low-balance threshold', async () => {
    expect(await (await api.call('/v1/admin/low-balance-threshold')).json()).toEqual({ threshold: 10 });
    const put = (threshold: unknown) =>
      api.call('/v1/admin/low-balance-threshold', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ threshold }),
      });
    expect((await put(-1)).status).toBe(400);
    expect((await put(2.5)).status).toBe(400);
    expect(await (await put(25)).json()).toEqual({ threshold: 25 });
    expect(await (await api.call('/v1/admin/low-balance-threshold')).json()).toEqual({ threshold: 25 });
    await put(10);
  });

  it('is for the admin only', async () => {
    const token = await api.freelancerToken(freshAccount());
    expect((await api.call('/v1/admin/webhooks', { token })).status).toBe(403);
    expect((await post('/v1/admin/webhooks', { url: receiver.url }, token)).status).toBe(403);
    expect((await api.call('/v1/admin/low-balance-threshold', { token: null })).status).toBe(401);
  });
});

describe.each(testEngines)('webhooks to internal targets on $name', (engine) => {
  let api: TestApi;
  let receiver: TestReceiver;
  beforeAll(async () => {
    api = await openTestApi(engine);
    webhookRoutes(api.app, api.services);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await api.close();
  });

  it('the API refuses the metadata endpoint and loopback by default', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', receiver.url]) {
      const response = await api.call('/v1/admin/webhooks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
      expect(response.status, url).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('a receiver whose name resolves to loopback gets nothing; the attempt says why', async () => {
    const store = api.services.store;
    // Registered as a public name; at delivery it resolves to the receiver's loopback address.
    const port = new URL(receiver.url).port;
    const registered = await registerEndpoint(store, { url: `http://hooks.example.com:${port}/` }, T0);
    if (!registered.ok) throw new Error(registered.error.message);
    const granted = await store.execute({ account: freshAccount(), op: grant(5), now: T0 });
    expect(granted.ok).toBe(true);
    const dispatcher = new WebhookDispatcher(store, {
      clock: () => T0,
      resolve: () => Promise.resolve(['127.0.0.1']),
    });
    const report = await dispatcher.dispatchOnce(T0);
    expect(report.attempted).toBeGreaterThan(0);
    expect(report.delivered).toBe(0);
    expect(receiver.received).toEqual([]);
    const deliveries = await listDeliveries(store, registered.value.id, {});
    expect(deliveries[0]).toMatchObject({
      lastError:
        'not sent: hooks.example.com resolves to 127.0.0.1, a loopback, link-local or private address',
    });
  });
});
