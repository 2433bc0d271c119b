import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { OpenAPIHono } from '@hono/zod-openapi';
import { validationHook } from './errors.ts';
import {
  centsSchema,
  connectsAmountSchema,
  freelancerIdParams,
  instantInputSchema,
  limitQuerySchema,
  MAX_CONNECTS_PER_REQUEST,
} from './schemas.ts';
import type { ApiEnv } from './services.ts';

/** A throwaway route using the shared schemas, behind the app's real validation hook. */
function appWith() {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const route = createRoute({
    method: 'post',
    path: '/things/{id}',
    request: {
      params: freelancerIdParams,
      query: z.strictObject({ limit: limitQuerySchema }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({
              connects: connectsAmountSchema,
              cents: centsSchema,
              at: instantInputSchema,
            }),
          },
        },
      },
    },
    responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.unknown() } } } },
  });
  app.openapi(route, (c) =>
    c.json({ ...c.req.valid('json'), limit: c.req.valid('query').limit ?? null }, 200),
  );
  return app;
}

const post = (body: string, query = '') =>
  appWith().request(`/things/ada${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

describe('shared request schemas', () => {
  it('accept good values and turn instants into milliseconds', async () => {
    const response = await post('{"connects":10,"cents":150,"at":"2024-03-10"}', '?limit=20');
    expect(await response.json()).toEqual({ connects: 10, cents: 150, at: Date.UTC(2024, 2, 10), limit: 20 });
  });

  it.each([
    ['a negative amount', '{"connects":-1,"cents":0,"at":"2024-03-10"}', 'body.connects'],
    ['zero Connects', '{"connects":0,"cents":0,"at":"2024-03-10"}', 'body.connects'],
    ['a fraction', '{"connects":1.5,"cents":0,"at":"2024-03-10"}', 'body.connects'],
    [
      'a huge amount',
      `{"connects":${MAX_CONNECTS_PER_REQUEST + 1},"cents":0,"at":"2024-03-10"}`,
      'body.connects',
    ],
    ['beyond 2^53', '{"connects":9007199254740993,"cents":0,"at":"2024-03-10"}', 'body.connects'],
    ['an infinite number', '{"connects":1e400,"cents":0,"at":"2024-03-10"}', 'body.connects'],
    ['a number as a string', '{"connects":"5","cents":0,"at":"2024-03-10"}', 'body.connects'],
    ['negative cents', '{"connects":1,"cents":-5,"at":"2024-03-10"}', 'body.cents'],
    ['an unknown field', '{"connects":1,"cents":0,"at":"2024-03-10","admin":true}', 'body'],
  ])('refuse %s, naming the field', async (_name, body, where) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain(`Invalid request: ${where}`);
  });

  it.each(['0', '501', '2.5', 'abc', '-1'])('refuse ?limit=%s', async (limit) => {
    const response = await post('{"connects":1,"cents":0,"at":"2024-03-10"}', `?limit=${limit}`);
    expect(response.status).toBe(400);
  });
});
