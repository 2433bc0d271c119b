import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import {
  connectsError,
  ConnectsFailure,
  errorCodes,
  type ConnectsError,
  type ErrorCode,
  type Result,
} from '../core/errors.ts';
import { validationError as inputValidationError } from '../app/input/parse-input.ts';
import { retryAfterSeconds, statusOf } from './error-status.ts';
import { errorFields, type Logger } from './logger.ts';
import type { ApiEnv } from './services.ts';

/**
 * The one way an error leaves the API: `{"error":{"code","message","details"}}`
 * with the status from the error-status table. Route handlers throw
 * ConnectsFailure (or return a Result and call `fail`); everything else that
 * escapes becomes `internal` and is logged.
 */
export function errorResponse(c: Context<ApiEnv>, error: ConnectsError): Response {
  const status = statusOf(error.code) as ContentfulStatusCode;
  // A wait that depends on the request (the bad-token limit) travels in the details.
  const ownWait = error.details?.['retryAfterSeconds'];
  const retryAfter = typeof ownWait === 'number' ? ownWait : retryAfterSeconds[error.code];
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  if (error.code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer');
  const body = {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
  return c.json(body, status);
}

/** Throws an expected failure out of a handler; the error handler renders it. */
export function fail(
  code: ErrorCode,
  message: string = errorCodes[code],
  details?: Record<string, unknown>,
): never {
  throw new ConnectsFailure(connectsError(code, message, details));
}

/** The value of a Result, or its error thrown for the error handler to render. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ConnectsFailure(result.error);
  return result.value;
}

// Hono and its validators throw HTTPException for transport-level problems.
const codeForHttpStatus: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/**
 * Connection-level database failures: the request was fine, the store was
 * not reachable. They answer 503 store_unavailable (retry later), not 500.
 * Node socket errors, and SQLSTATE classes 08 (connection exception) and
 * 57P (operator intervention: shutdown, restart), 53300 (too many connections)
 * and 57014 (statement timeout: the database is hung or overloaded). The
 * PostgreSQL adapter reports a dropped or timed-out connection as 08006.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  if (typeof code !== 'string') return false;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', '53300', '57014'].includes(
      code,
    ) ||
    code.startsWith('08') ||
    code.startsWith('57P')
  );
}

export const createErrorHandler =
  (logger: Logger) =>
  (error: unknown, c: Context<ApiEnv>): Response => {
    if (error instanceof ConnectsFailure) return errorResponse(c, error.toError());
    if (error instanceof HTTPException) {
      const code = codeForHttpStatus[error.status];
      if (code !== undefined) {
        const message = code === 'validation_failed' ? `${error.message}.` : errorCodes[code];
        return errorResponse(c, connectsError(code, message));
      }
    }
    if (isStoreUnavailable(error)) {
      logger.log('warn', 'store unavailable', { requestId: c.var.requestId, ...errorFields(error) });
      return errorResponse(c, connectsError('store_unavailable', errorCodes.store_unavailable));
    }
    logger.log('error', 'unhandled error', {
      requestId: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      ...errorFields(error),
    });
    // The message is generic on purpose: internals (SQL, stack) never reach a client.
    return errorResponse(c, connectsError('internal', errorCodes.internal, { requestId: c.var.requestId }));
  };

export function handleNotFound(c: Context<ApiEnv>): Response {
  return errorResponse(
    c,
    connectsError('not_found', `No route for ${c.req.method} ${c.req.path}.`, {
      method: c.req.method,
      path: c.req.path,
    }),
  );
}

/** Turns a zod error on one request part (json, param, query, header) into validation_failed. */
export function validationError(target: string, error: ZodError): ConnectsError {
  return inputValidationError(target === 'json' ? 'body' : target, error);
}

/** The OpenAPIHono defaultHook: every schema failure renders through the same error body. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
  c: Context<ApiEnv>,
): Response | undefined {
  if (result.success) return undefined;
  return errorResponse(c, validationError(result.target, result.error));
}
