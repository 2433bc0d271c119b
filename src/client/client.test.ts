import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  listen,
  openTestApi,
  TEST_ADMIN_TOKEN,
  type ListeningApi,
  type TestApi,
} from '../http/testing/test-api.ts';
import { testEngines } from '../store/testing/test-engines.ts';
import { buildUrl, ConnectsApiError, createClient, type ConnectsClient } from './index.ts';

describe.each(testEngines)('the typed client against the API on $name', (engine) => {
  let api: TestApi;
  let http: ListeningApi;
  let admin: ConnectsClient;

  beforeAll(async () => {
    api = await openTestApi(engine);
    http = await listen(api.app);
    admin = createClient({ baseUrl: http.baseUrl, token: TEST_ADMIN_TOKEN });
    // Tokens are issued to registered freelancers only.
    for (const id of ['ada', 'bob']) await admin.post('/v1/freelancers', { body: { id } });
  });
  afterAll(async () => {
    await http?.close();
    await api?.close();
  });

  it('calls public routes without a token and types the answer', async () => {
    const health = await createClient({ baseUrl: `${http.baseUrl}/` }).get('/healthz');
    expectTypeOf(health.store).toEqualTypeOf<'postgres' | 'pglite'>();
    expect(health).toMatchObject({ status: 'ok', store: engine.name });
  });

  it('issues a token as admin and acts with it', async () => {
    const issued = await admin.post('/v1/freelancers/{id}/tokens', { path: { id: 'ada' } });
    expectTypeOf(issued.token).toEqualTypeOf<string>();
    const ada = admin.withToken(issued.token);
    const { tokens } = await ada.get('/v1/freelancers/{id}/tokens', { path: { id: 'ada' } });
    expect(tokens.map((t) => t.tokenId)).toContain(issued.tokenId);
    const policy = await ada.get('/v1/policy');
    expect(policy.current.id).toBe('era-2023');
  });

  it('sends bodies and returns the typed result', async () => {
    const clock = await admin.put('/v1/admin/clock', { body: { now: '2024-05-01T00:00:00Z' } });
    expect(clock).toEqual({ now: '2024-05-01T00:00:00.000Z', manual: true });
  });

  it('turns error bodies into ConnectsApiError with the stable code', async () => {
    const error = await admin
      .put('/v1/admin/clock', { body: { now: '2020-01-01T00:00:00Z' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectsApiError);
    expect(error).toMatchObject({ status: 409, code: 'clock_backwards' });
    expect((error as ConnectsApiError).details).toHaveProperty('requested', '2020-01-01T00:00:00.000Z');
  });

  it('a freelancer token on another freelancer is forbidden', async () => {
    const { token } = await admin.post('/v1/freelancers/{id}/tokens', { path: { id: 'bob' } });
    const bob = admin.withToken(token);
    await expect(bob.get('/v1/freelancers/{id}/tokens', { path: { id: 'ada' } })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    await expect(admin.withToken(undefined).get('/v1/policy')).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('returns text for text routes', async () => {
    const metrics = await admin.get('/metrics');
    expectTypeOf(metrics).toEqualTypeOf<string>();
    expect(metrics).toContain('connects_http_requests_total');
  });

  it('sends the Idempotency-Key header', async () => {
    await expect(
      admin.post('/v1/freelancers/{id}/tokens', { path: { id: 'ada' }, idempotencyKey: '' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('client details', () => {
  it('builds URLs with encoded path parameters and query strings', () => {
    expect(
      buildUrl('http://x/', '/v1/freelancers/{id}/tokens', {
        path: { id: 'a b/c' },
        query: { n: 1, s: undefined },
      }),
    ).toBe('http://x/v1/freelancers/a%20b%2Fc/tokens?n=1');
    expect(() => buildUrl('http://x', '/v1/freelancers/{id}', {})).toThrow('missing path parameter id');
  });

  it('reports a non-API error page as invalid_response with Retry-After', async () => {
    const proxy = (async () =>
      new Response('<html>Bad gateway</html>', {
        status: 502,
        headers: { 'content-type': 'text/html', 'retry-after': '7' },
      })) as typeof fetch;
    const error = await createClient({ baseUrl: 'http://x', fetch: proxy })
      .get('/healthz')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'invalid_response', retryAfterSeconds: 7 });
  });

  it('rejects wrong paths, missing parameters and wrong bodies at compile time', () => {
    const client = createClient({ baseUrl: 'http://x' });
    // These lines only type-check; they are never run.
    const check = (): void => {
      // @ts-expect-error unknown path
      void client.get('/v1/nope');
      // @ts-expect-error the path parameter is required
      void client.post('/v1/freelancers/{id}/tokens');
      // @ts-expect-error `now` must be a string
      void client.put('/v1/admin/clock', { body: { now: 5 } });
      // @ts-expect-error no DELETE on the clock
      void client.delete('/v1/admin/clock');
    };
    expect(typeof check).toBe('function');
  });
});
