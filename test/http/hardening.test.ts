import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listen,
  openTestApi,
  TEST_ADMIN_TOKEN,
  type ListeningApi,
  type TestApi,
} from '../../src/http/testing/test-api.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';

/**
 * Small holes an attacker or a careless client could use, over real HTTP:
 * token guessing, token answers in caches, tokens for nobody, text the
 * database cannot hold, huge error bodies, replays that look like new
 * writes, and paths that slip past the API's 404.
 */
const BAD_TOKEN_LIMIT = 5;

describe.each(testEngines)('hardening on $name', (engine) => {
  let api: TestApi;
  let http: ListeningApi;
  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const json = { ...admin, 'content-type': 'application/json' };

  beforeAll(async () => {
    api = await openTestApi(engine, { badTokenLimit: BAD_TOKEN_LIMIT });
    http = await listen(api.app);
    const registered = await fetch(`${http.baseUrl}/v1/freelancers`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ id: 'hard-ada' }),
    });
    expect(registered.status).toBe(201);
  });
  afterAll(async () => {
    await http?.close();
    await api?.close();
  });
  const get = (path: string, headers: Record<string, string> = admin) =>
    fetch(`${http.baseUrl}${path}`, { headers });

  it('issues tokens only to registered freelancers, never cacheable', async () => {
    const issued = await fetch(`${http.baseUrl}/v1/freelancers/hard-ada/tokens`, {
      method: 'POST',
      headers: admin,
    });
    expect(issued.status).toBe(201);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const nobody = await fetch(`${http.baseUrl}/v1/freelancers/never-registered/tokens`, {
      method: 'POST',
      headers: admin,
    });
    expect(nobody.status).toBe(404);
    expect(await nobody.json()).toMatchObject({ error: { code: 'freelancer_not_found' } });
  });

  it('refuses a NUL in ?ref= with 400, as JSON and as CSV', async () => {
    for (const path of [
      '/v1/freelancers/hard-ada/entries?ref=a%00b',
      '/v1/freelancers/hard-ada/entries?format=csv&ref=a%00b',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const csv = await get('/v1/freelancers/hard-ada/entries?ref=a%00b', { ...admin, accept: 'text/csv' });
    expect(csv.status).toBe(400);
  });

  it('keeps the error for 60 KB of unknown keys small', async () => {
    const body: Record<string, number> = { id: 1 };
    for (let i = 0; body && JSON.stringify(body).length < 60_000; i++)
      body[`unknown_key_${i}_${'x'.repeat(20)}`] = 1;
    const response = await fetch(`${http.baseUrl}/v1/freelancers`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text.length).toBeLessThan(8_000);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('marks a repeated purchase as a replay, like a repeated proposal', async () => {
    const buy = () =>
      fetch(`${http.baseUrl}/v1/freelancers/hard-ada/purchases`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ purchaseId: 'hard-p1', connects: 10, card: '4242424242424242' }),
      });
    const first = await buy();
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await first.json()).toMatchObject({ purchaseId: 'hard-p1', replayed: false });
    const again = await buy();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toMatchObject({ purchaseId: 'hard-p1', replayed: true });

    // With an Idempotency-Key the stored first answer comes back, marked the same way.
    const keyed = () =>
      fetch(`${http.baseUrl}/v1/freelancers/hard-ada/purchases`, {
        method: 'POST',
        headers: { ...json, 'idempotency-key': 'hard-key-1' },
        body: JSON.stringify({ purchaseId: 'hard-p2', connects: 10, card: '4242424242424242' }),
      });
    expect((await keyed()).status).toBe(201);
    const replayed = await keyed();
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await replayed.json()).toMatchObject({ purchaseId: 'hard-p2', replayed: true });
  });

  it('marks a repeated registration and certification the same way', async () => {
    const register = () =>
      fetch(`${http.baseUrl}/v1/freelancers`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ id: 'hard-bob' }),
      });
    const first = await register();
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ replayed: false });
    const again = await register();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toMatchObject({ freelancer: { id: 'hard-bob' }, replayed: true });

    const certify = () =>
      fetch(`${http.baseUrl}/v1/freelancers/hard-bob/certifications`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ certificationId: 'cert-1' }),
      });
    expect((await certify()).status).toBe(201);
    const repeat = await certify();
    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(await repeat.json()).toMatchObject({ ref: 'cert-1', replayed: true });
  });

  it('answers //v1/... with the API 404, not the web page', async () => {
    for (const path of ['//v1/freelancers/hard-ada/balance', '//v1/nothing', '/%2Fv1/policy']) {
      const response = await get(path, { ...admin, accept: 'text/html' });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toContain('application/json');
    }
  });

  it('answers 429 with Retry-After after too many bad tokens and logs it once, while a valid token still passes', async () => {
    const bad = { authorization: 'Bearer cfl_not-a-real-token' };
    const statuses: number[] = [];
    for (let i = 0; i < BAD_TOKEN_LIMIT + 3; i++) statuses.push((await get('/v1/policy', bad)).status);
    expect(statuses).toEqual([...new Array<number>(BAD_TOKEN_LIMIT).fill(401), 429, 429, 429]);
    const limited = await get('/v1/policy', bad);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    // A guesser behind the same address cannot lock the valid callers out.
    expect((await get('/v1/policy', admin)).status).toBe(200);
    // A request without a token is not affected.
    expect((await get('/healthz', {})).status).toBe(200);
    const lines = api.logs.filter((record) => record.message === 'bad token limit reached');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields).toMatchObject({ client: '127.0.0.1', path: '/v1/policy' });
  });
});
