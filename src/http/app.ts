import { OpenAPIHono } from '@hono/zod-openapi';
import { connectsError } from '../core/errors.ts';
import { auditTrail } from './audit-trail.ts';
import { limitBody } from './body-limit.ts';
import { authContext } from './auth.ts';
import { BadTokenLimiter } from './bad-token-limiter.ts';
import { createErrorHandler, errorResponse, handleNotFound, validationHook } from './errors.ts';
import { idempotencyKey } from './idempotency.ts';
import { registerSecurityScheme } from './openapi.ts';
import { requestContext } from './request-context.ts';
import { routeModules } from './routes/index.ts';
import type { ApiApp, ApiEnv, Services } from './services.ts';
import { webUi } from './web-ui.ts';

/** No request of this API needs more; larger bodies are refused before they are read in full. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Builds the whole API as a value: no socket, no side effects. Tests call
 * `app.request(...)`; src/server.ts hands `app.fetch` to the Node server.
 */
export function buildApp(services: Services): ApiApp {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.onError(createErrorHandler(services.logger));
  app.notFound(handleNotFound);

  app.use('*', requestContext(services.metrics));
  app.use(
    '*',
    limitBody(MAX_BODY_BYTES, (c) =>
      errorResponse(
        c,
        connectsError('payload_too_large', `The request body exceeds ${MAX_BODY_BYTES} bytes.`, {
          limitBytes: MAX_BODY_BYTES,
        }),
      ),
    ),
  );
  app.use('*', idempotencyKey);
  const limit = services.config.badTokenLimit;
  const limiter = limit === 0 ? null : new BadTokenLimiter({ maxFailures: limit });
  app.use('*', authContext(services.authenticator, { logger: services.logger, limiter }));
  // Inside auth: an operator's writes are stamped with its actor and leave an audit row.
  app.use('*', auditTrail(services.store, services.clock, services.logger));

  registerSecurityScheme(app);
  for (const register of routeModules) register(app, services);
  // Last: the web UI answers only GETs no API route matched (API paths fall through to the 404).
  app.get('*', webUi());
  return app;
}
