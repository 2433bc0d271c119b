import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listen,
  openTestApi,
  TEST_ADMIN_TOKEN,
  type ListeningApi,
  type TestApi,
} from '../../src/http/testing/test-api.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';

describe.each(testEngines)('service routes on $name', (engine) => {
  let api: TestApi;
  let http: ListeningApi;

  beforeAll(async () => {
    api = await openTestApi(engine);
    http = await listen(api.app);
  });
  afterAll(async () => {
    await http?.close();
    await api?.close();
  });

  it('GET /healthz answers from the store, over real HTTP', async () => {
    const response = await fetch(`${http.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({
      status: 'ok',
      store: engine.name,
      time: '2024-03-10T12:00:00.000Z',
      manualClock: true,
    });
  });

  it('stamps every kind of answer over real HTTP, and its body arrives whole', async () => {
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const answers = [
      await fetch(`${http.baseUrl}/healthz`),
      // A route's own JSON, an error from a guard, a route's 404, the web UI's answer.
      await fetch(`${http.baseUrl}/v1/policy`, { headers: admin }),
      await fetch(`${http.baseUrl}/v1/admin/stats`),
      await fetch(`${http.baseUrl}/v1/freelancers/nobody/balance`, { headers: admin }),
      await fetch(`${http.baseUrl}/`),
    ];
    expect(answers.slice(0, 4).map((r) => r.status)).toEqual([200, 200, 401, 404]);
    for (const response of answers) {
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const body = await response.text();
      expect(Number(response.headers.get('content-length') ?? body.length)).toBe(
        new TextEncoder().encode(body).length,
      );
    }
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const response = await fetch(`${http.baseUrl}/v1/admin/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: JSON.stringify({ now: 'x'.repeat(70_000) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a plain X-Request-Id from the caller', async () => {
    const response = await api.call('/healthz', { headers: { 'x-request-id': 'trace-42' } });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
  });

  it('GET /metrics is Prometheus text with request counts by route pattern', async () => {
    await fetch(`${http.baseUrl}/healthz`);
    // ada is not registered: the issue is refused (404), which is counted all the same.
    await api.call('/v1/freelancers/ada/tokens', { method: 'POST' });
    // Under /v1: elsewhere an unknown GET is the web UI's (client-side routes).
    await api.call('/v1/no/such/route');
    const response = await fetch(`${http.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toMatch(/^# HELP connects_http_requests_total /m);
    expect(text).toMatch(
      /^connects_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+$/m,
    );
    // The id is not a label: one series for every freelancer.
    expect(text).toContain('route="/v1/freelancers/:id/tokens",status="404"');
    expect(text).not.toContain('ada');
    expect(text).toContain('connects_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(
      /^connects_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} \d+$/m,
    );
    // Every sample line is `name{labels} value`.
    for (const line of text
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_:]+(\{[^}]*\})? [0-9.e+-]+$|^[a-z_:]+(\{[^}]*\})? \+Inf$/);
    }
  });

  it('GET /v1/policy returns the policy in force and the whole timeline', async () => {
    const response = await api.call('/v1/policy');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      now: string;
      current: { id: string; grants: { signup: number } };
      nextChangeAt: string | null;
      timeline: { id: string }[];
    };
    expect(body.now).toBe('2024-03-10T12:00:00.000Z');
    expect(body.current.id).toBe('era-2023');
    expect(body.current.grants.signup).toBe(40);
    expect(body.nextChangeAt).toBeNull();
    expect(body.timeline.map((p) => p.id)).toEqual(['era-legacy', 'era-2019', 'era-2021', 'era-2023']);
  });

  it('an unknown route is a 404 with the error body', async () => {
    const response = await fetch(`${http.baseUrl}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        code: 'not_found',
        message: 'No route for GET /v1/nothing-here.',
        details: { method: 'GET', path: '/v1/nothing-here' },
      },
    });
  });
});

describe('the web UI beside the API', () => {
  let api: TestApi;
  beforeAll(async () => {
    const pglite = testEngines.find((e) => e.name === 'pglite');
    if (pglite === undefined) throw new Error('the pglite test engine is missing');
    api = await openTestApi(pglite);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers an HTML navigation to a non-API path, and never shadows an API path', async () => {
    const page = await api.call('/history', { token: null, headers: { accept: 'text/html' } });
    // 200 with the built UI, 503 with a "not built" page on a checkout without web/dist.
    expect([200, 503]).toContain(page.status);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const api404 = await api.call('/v1/unknown', { token: null, headers: { accept: 'text/html' } });
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
