import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, MAX_BODY_BYTES } from '../../src/http/app.ts';
import { listen, openTestApi, TEST_ADMIN_TOKEN, type TestApi } from '../../src/http/testing/test-api.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';

/** Malformed requests get a 4xx with a stable code and change nothing (rules.md 8). */
describe.each(testEngines)('bad input on $name', (engine) => {
  let api: TestApi;
  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const json = { ...admin, 'content-type': 'application/json' };

  beforeAll(async () => {
    api = await openTestApi(engine);
  });
  afterAll(async () => {
    await api?.close();
  });

  async function expectError(
    response: Response,
    status: number,
    code: string,
  ): Promise<Record<string, unknown>> {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string; details?: object } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
    return body.error as unknown as Record<string, unknown>;
  }

  const putClock = (body: string, headers: Record<string, string> = json) =>
    api.app.request('/v1/admin/clock', { method: 'PUT', headers, body });

  it.each([
    ['malformed JSON', '{"now":'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a number instead of a string', '{"now":5}'],
    ['an unknown field', '{"now":"2024-03-11T00:00:00Z","extra":1}'],
    ['a missing field', '{}'],
    ['an overlong string', JSON.stringify({ now: '2'.repeat(10_000) })],
    ['a date without a zone', '{"now":"2024-03-11T00:00:00"}'],
    ['an impossible date', '{"now":"2024-02-30T00:00:00Z"}'],
  ])('%s is validation_failed and leaves the clock alone', async (_name, body) => {
    await expectError(await putClock(body), 400, 'validation_failed');
    expect(api.services.clock.now()).toBe(Date.UTC(2024, 2, 10, 12));
  });

  it('names the offending field', async () => {
    const error = await expectError(
      await putClock('{"now":"2024-03-11T00:00:00Z","extra":1}'),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual({
      issues: [{ in: 'body', path: '', message: expect.stringContaining('extra') }],
    });
  });

  it('a missing body is validation_failed', async () => {
    const response = await api.app.request('/v1/admin/clock', { method: 'PUT', headers: admin });
    await expectError(response, 400, 'validation_failed');
  });

  it('a body that is not JSON is unsupported_media_type', async () => {
    const response = await putClock('now=2024-03-11', { ...admin, 'content-type': 'text/plain' });
    await expectError(response, 415, 'unsupported_media_type');
  });

  it(`a body over ${MAX_BODY_BYTES} bytes is payload_too_large`, async () => {
    const big = JSON.stringify({ now: 'x'.repeat(MAX_BODY_BYTES) });
    const error = await expectError(await putClock(big), 413, 'payload_too_large');
    expect(error.details).toEqual({ limitBytes: MAX_BODY_BYTES });
  });

  it('a chunked body over the limit is cut off over real HTTP too', async () => {
    const http = await listen(api.app);
    try {
      const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const response = await fetch(`${http.baseUrl}/v1/admin/clock`, {
        method: 'PUT',
        headers: json,
        body: stream,
        duplex: 'half',
      } as RequestInit);
      await expectError(response, 413, 'payload_too_large');
    } finally {
      await http.close();
    }
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['a space', 'a%20b'],
    ['a slash', 'a%2Fb'],
    ['non-ASCII', '%C3%A9'],
  ])('a freelancer id with %s is validation_failed', async (_name, id) => {
    const response = await api.call(`/v1/freelancers/${id}/tokens`, { method: 'POST' });
    const error = await expectError(response, 400, 'validation_failed');
    expect(error.message).toContain('param.id');
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(201)],
    ['non-ASCII', 'clé'],
  ])('an Idempotency-Key that is %s is validation_failed', async (_name, key) => {
    const response = await api.app.request('/v1/freelancers/ada/tokens', {
      method: 'POST',
      headers: { ...admin, 'idempotency-key': key },
    });
    await expectError(response, 400, 'validation_failed');
  });

  it('a valid Idempotency-Key reaches the request context', async () => {
    // A fresh app: routes cannot be added once an app has served a request. POST: the
    // web UI's catch-all answers every GET no route matched first.
    const app = buildApp(api.services);
    let seen: string | undefined;
    app.post('/test/idempotency', (c) => {
      seen = c.var.idempotencyKey;
      return c.body(null, 204);
    });
    await app.request('/test/idempotency', {
      method: 'POST',
      headers: { 'idempotency-key': 'order 42/retry' },
    });
    expect(seen).toBe('order 42/retry');
  });

  it('an overlong Authorization header is unauthorized, not a crash', async () => {
    const response = await api.app.request('/v1/admin/clock', {
      headers: { authorization: `Bearer ${'a'.repeat(10_000)}` },
    });
    await expectError(response, 401, 'unauthorized');
  });

  it('an unexpected exception is a 500 internal that hides the cause and is logged', async () => {
    const app = buildApp(api.services);
    app.post('/test/boom', () => {
      throw new Error('secret database detail');
    });
    const response = await app.request('/test/boom', {
      method: 'POST',
      headers: { 'x-request-id': 'req-boom' },
    });
    const error = await expectError(response, 500, 'internal');
    expect(JSON.stringify(error)).not.toContain('secret');
    expect(error.details).toEqual({ requestId: 'req-boom' });
    expect(api.logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ requestId: 'req-boom', error: 'secret database detail' }),
      }),
    );
  });
});
