import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiEnv } from './services.ts';

const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a request body above `maxSize` bytes before it is read. A declared
 * Content-Length is judged from the header alone; a body without one
 * (chunked) is counted as it streams in, by Hono's bodyLimit. A GET, HEAD or
 * OPTIONS is let through untouched: asking for its body would make the Node
 * adapter build a whole web Request (abort signal, stream) for a read.
 */
export function limitBody(
  maxSize: number,
  onError: (c: Context<ApiEnv>) => Response | Promise<Response>,
): MiddlewareHandler<ApiEnv> {
  const streamed = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (WITHOUT_BODY.has(c.req.method)) return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length, 10) > maxSize ? onError(c) : next();
    }
    return streamed(c, next);
  };
}
