import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from './metrics/metrics.ts';
import type { ApiEnv } from './services.ts';

/** A caller's X-Request-Id is kept when it is short and plain; otherwise a fresh one is made. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Outermost middleware: gives each request an id (echoed in X-Request-Id
 * and in logs) and records its route, status and latency. The route label
 * is the matched pattern (/v1/freelancers/:id), so metrics stay bounded
 * however many ids are requested.
 */
export function requestContext(metrics: Metrics): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    const sent = c.req.header('x-request-id');
    const requestId = sent !== undefined && REQUEST_ID_PATTERN.test(sent) ? sent : randomUUID();
    c.set('requestId', requestId);
    await next();
    stamp(c, 'X-Request-Id', requestId);
    stamp(c, 'X-Content-Type-Options', 'nosniff');
    // The route of the handler that ran last (the one that answered), not the last one that matched.
    const matched = routePath(c);
    metrics.request(
      c.req.method,
      routeLabel(matched, c.res.status),
      c.res.status,
      (performance.now() - started) / 1000,
    );
  };
}

/**
 * Sets a header on the answer already made. In place on its headers: `c.header()` after the handler
 * copies the whole response, which turns the server's plain string body into a stream (a third of a
 * balance read's CPU went there). Headers of a response that forbids changes get the copy instead.
 */
function stamp(c: Context<ApiEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

/** Catch-all matches are the web UI's files when they succeed, and no route at all otherwise. */
function routeLabel(matched: string, status: number): string {
  if (matched !== '' && matched !== '*' && matched !== '/*') return matched;
  return status === 404 ? 'unmatched' : 'web-ui';
}
