/**
 * Shutdown without cutting anyone off: once draining, a request that arrives
 * (on a connection kept alive from before) is answered at once with 503 and
 * `Connection: close`, answers still being computed go out with
 * `Connection: close` too, and `drain` resolves when the last of them is done.
 */

export interface Drainable<A extends unknown[] = unknown[]> {
  /** The app's fetch, counted. */
  readonly fetch: (request: Request, ...rest: A) => Promise<Response>;
  readonly inFlight: () => number;
  readonly draining: () => boolean;
  /** Starts draining; resolves true when no request is in flight, or false after graceMs with some still running. */
  drain(graceMs: number): Promise<boolean>;
}

/** Seconds a client should wait before trying again (another instance, or this one restarted). */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

function shuttingDown(): Response {
  const body = {
    error: {
      code: 'store_unavailable',
      message: 'The server is shutting down. Retry later (another instance, or this one once restarted).',
    },
  };
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: {
      'content-type': 'application/json',
      connection: 'close',
      'retry-after': String(SHUTDOWN_RETRY_AFTER_SECONDS),
    },
  });
}

function withClose(response: Response): Response {
  try {
    response.headers.set('connection', 'close');
    return response;
  } catch {
    // Immutable headers (a response passed through from fetch): copy it.
    const copy = new Response(response.body, response);
    copy.headers.set('connection', 'close');
    return copy;
  }
}

export function drainable<A extends unknown[]>(
  fetch: (request: Request, ...rest: A) => Response | Promise<Response>,
): Drainable<A> {
  let inFlight = 0;
  let draining = false;
  let idle: (() => void)[] = [];
  return {
    async fetch(request, ...rest) {
      if (draining) return shuttingDown();
      inFlight += 1;
      try {
        const response = await fetch(request, ...rest);
        return draining ? withClose(response) : response;
      } finally {
        inFlight -= 1;
        if (inFlight === 0) for (const done of idle.splice(0)) done();
      }
    },
    inFlight: () => inFlight,
    draining: () => draining,
    drain(graceMs) {
      draining = true;
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          idle = idle.filter((f) => f !== done);
          resolve(false);
        }, graceMs);
        const done = () => {
          clearTimeout(timer);
          resolve(true);
        };
        idle.push(done);
      });
    },
  };
}
