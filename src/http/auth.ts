import { createHash, timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { connectsError, ConnectsFailure } from '../core/errors.ts';
import { BadTokenLimiter } from './bad-token-limiter.ts';
import { errorResponse, fail } from './errors.ts';
import type { Logger } from './logger.ts';
import type { ApiEnv } from './services.ts';
import type { TokenRepository } from './tokens.ts';

/**
 * Bearer-token auth. Two kinds of caller: the operator's admin (one token,
 * from the configuration) and freelancers (tokens the admin issues, each
 * bound to one freelancer id). The token is checked only by routes that need
 * it, so public routes (/healthz, /docs) ignore a stale header.
 */
export type Principal =
  | { readonly kind: 'admin' }
  | { readonly kind: 'freelancer'; readonly freelancerId: string; readonly tokenId: string };

/** No header: anonymous. A header naming no live token: invalid (never treated as anonymous). */
export type AuthResult = Principal | { readonly kind: 'anonymous' } | { readonly kind: 'invalid' };

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<AuthResult>;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Header values longer than this are refused unread; no token is anywhere near it. */
const MAX_AUTHORIZATION_LENGTH = 512;

export function createAuthenticator(adminToken: string, tokens: TokenRepository): Authenticator {
  // Compare fixed-length digests in constant time: the admin token's length and prefix stay secret.
  const adminDigest = digest(adminToken);
  return {
    async authenticate(authorization) {
      if (authorization === undefined) return { kind: 'anonymous' };
      if (authorization.length > MAX_AUTHORIZATION_LENGTH) return { kind: 'invalid' };
      const match = /^Bearer +(\S+) *$/i.exec(authorization);
      const token = match?.[1];
      if (token === undefined) return { kind: 'invalid' };
      if (timingSafeEqual(digest(token), adminDigest)) return { kind: 'admin' };
      const owner = await tokens.resolve(token);
      return owner === undefined ? { kind: 'invalid' } : { kind: 'freelancer', ...owner };
    },
  };
}

/** The peer's socket address; undefined for a request that came through no socket (app.request in tests). */
function clientAddress(c: Context<ApiEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

export interface AuthContextOptions {
  readonly logger?: Logger;
  /** Default: 20 bad tokens per client per minute; null turns the limit off. */
  readonly limiter?: BadTokenLimiter | null;
}

/**
 * Installs a per-request, memoised `c.var.auth()` so a request looks its
 * token up at most once. A client over the bad-token limit gets 429 instead
 * of 401 for every further bad token until its window ends, and one log line.
 * A valid token is never refused: behind a proxy every client shares one
 * address, and a guesser must not be able to lock the marketplace out (the
 * tokens carry 256 random bits, so the limit is about noise, not odds).
 */
export function authContext(
  authenticator: Authenticator,
  options: AuthContextOptions = {},
): MiddlewareHandler<ApiEnv> {
  const limiter = options.limiter === undefined ? new BadTokenLimiter() : options.limiter;
  const check = async (c: Context<ApiEnv>): Promise<AuthResult> => {
    const result = await authenticator.authenticate(c.req.header('authorization'));
    const client = result.kind === 'invalid' && limiter !== null ? clientAddress(c) : undefined;
    if (client === undefined || limiter === null) return result;
    const wait = limiter.blockedFor(client);
    if (wait !== undefined) {
      throw new ConnectsFailure(
        connectsError('too_many_requests', `Too many invalid tokens from this client; retry in ${wait} s.`, {
          retryAfterSeconds: wait,
        }),
      );
    }
    if (limiter.recordFailure(client)) {
      options.logger?.log('warn', 'bad token limit reached', {
        requestId: c.var.requestId,
        client,
        method: c.req.method,
        path: c.req.path,
      });
    }
    return result;
  };
  return async (c, next) => {
    let result: Promise<AuthResult> | undefined;
    c.set('auth', () => (result ??= check(c)));
    await next();
  };
}

function unauthorized(c: Context<ApiEnv>, result: AuthResult): Response {
  const message =
    result.kind === 'anonymous'
      ? 'This route needs a bearer token: Authorization: Bearer <token>.'
      : 'The bearer token is not valid (unknown, revoked or malformed).';
  return errorResponse(c, connectsError('unauthorized', message));
}

function forbidden(c: Context<ApiEnv>, message: string): Response {
  return errorResponse(c, connectsError('forbidden', message));
}

/** Admin routes: a freelancer token is refused with 403, no or a bad token with 401. */
export const requireAdmin: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const result = await c.var.auth();
  if (result.kind === 'anonymous' || result.kind === 'invalid') return unauthorized(c, result);
  if (result.kind !== 'admin') return forbidden(c, 'This route is for the admin token only.');
  c.set('principal', result);
  await next();
};

/** Any valid token, admin or freelancer (e.g. reading the policy). */
export const requireToken: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const result = await c.var.auth();
  if (result.kind === 'anonymous' || result.kind === 'invalid') return unauthorized(c, result);
  c.set('principal', result);
  await next();
};

/**
 * Routes about one freelancer: the admin, or that freelancer's own token.
 * `param` names the path parameter holding the freelancer id; it is compared
 * as sent, before validation, so a malformed id can never match a token.
 */
export function requireAdminOr(param: string): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const result = await c.var.auth();
    if (result.kind === 'anonymous' || result.kind === 'invalid') return unauthorized(c, result);
    if (result.kind === 'freelancer' && result.freelancerId !== c.req.param(param)) {
      return forbidden(c, 'A freelancer token can only act on its own freelancer.');
    }
    c.set('principal', result);
    await next();
  };
}

/** Whether the principal may act on this freelancer's account. */
export function mayActFor(principal: Principal, freelancerId: string): boolean {
  return principal.kind === 'admin' || principal.freelancerId === freelancerId;
}

/**
 * For routes whose freelancer id travels in the body (e.g. submitting a
 * proposal): call after validation with the id from the request. Throws the
 * same 403 as `requireAdminOr`.
 */
export function ensureMayActFor(c: Context<ApiEnv>, freelancerId: string): void {
  const principal = c.var.principal;
  if (principal === undefined || !mayActFor(principal, freelancerId)) {
    fail('forbidden', 'A freelancer token can only act on its own freelancer.', { freelancerId });
  }
}

/** OpenAPI security requirement shared by every protected route. */
export const bearerSecurity = [{ bearer: [] }];
