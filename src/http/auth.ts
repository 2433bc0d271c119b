import { createHash, timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import {
  BOOTSTRAP_ACTOR,
  OPERATOR_KEY_PREFIX,
  type KeyOwner,
  type Role,
} from '../app/operators/operators.ts';
import { connectsError, ConnectsFailure } from '../core/errors.ts';
import type { Actor } from '../store/actor-store.ts';
import { currentRequestScope } from './request-scope.ts';
import { BadTokenLimiter } from './bad-token-limiter.ts';
import { errorResponse, fail } from './errors.ts';
import type { Logger } from './logger.ts';
import type { ApiEnv } from './services.ts';
import type { TokenRepository } from './tokens.ts';

/**
 * Bearer-token auth. Three kinds of caller: the bootstrap admin (one token,
 * from the configuration; an owner), operators (keys `cop_...` with a role,
 * docs/operators.md) and freelancers (tokens bound to one freelancer id). The
 * token is checked only by routes that need it, so public routes (/healthz,
 * /docs) ignore a stale header.
 */
export type Principal =
  | { readonly kind: 'admin' }
  | { readonly kind: 'operator'; readonly operatorId: string; readonly role: Role; readonly keyId: string }
  | { readonly kind: 'freelancer'; readonly freelancerId: string; readonly tokenId: string };

/** The role a principal acts with: the bootstrap admin is an owner; a freelancer has none. */
export function roleOf(principal: Principal): Role | undefined {
  if (principal.kind === 'admin') return 'owner';
  return principal.kind === 'operator' ? principal.role : undefined;
}

/** Who a write is recorded as: the operator (or 'admin'), with its role; undefined for a freelancer. */
export function actorOf(principal: Principal): Actor | undefined {
  if (principal.kind === 'admin') return { id: BOOTSTRAP_ACTOR, role: 'owner' };
  return principal.kind === 'operator' ? { id: principal.operatorId, role: principal.role } : undefined;
}

/** Looks an operator key up (in the database, on every request: no cache to outlive a revocation). */
export type OperatorKeyResolver = (key: string) => Promise<KeyOwner | undefined>;

/** No header: anonymous. A header naming no live token: invalid (never treated as anonymous). */
export type AuthResult = Principal | { readonly kind: 'anonymous' } | { readonly kind: 'invalid' };

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<AuthResult>;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Header values longer than this are refused unread; no token is anywhere near it. */
const MAX_AUTHORIZATION_LENGTH = 512;

export function createAuthenticator(
  adminToken: string,
  tokens: TokenRepository,
  operatorKeys: OperatorKeyResolver = () => Promise.resolve(undefined),
): Authenticator {
  // Compare fixed-length digests in constant time: the admin token's length and prefix stay secret.
  const adminDigest = digest(adminToken);
  return {
    async authenticate(authorization) {
      if (authorization === undefined) return { kind: 'anonymous' };
      if (authorization.length > MAX_AUTHORIZATION_LENGTH) return { kind: 'invalid' };
      const match = /^Bearer +(\S+) *$/i.exec(authorization);
      const token = match?.[1];
      if (token === undefined) return { kind: 'invalid' };
      const hashed = digest(token);
      if (timingSafeEqual(hashed, adminDigest)) return { kind: 'admin' };
      if (token.startsWith(OPERATOR_KEY_PREFIX)) {
        const operator = await operatorKeys(token);
        return operator === undefined ? { kind: 'invalid' } : { kind: 'operator', ...operator };
      }
      const owner = await tokens.resolve(token, hashed);
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

/** Lets a request through: records who it acts for, and (for an operator) the actor its writes carry. */
function admit(c: Context<ApiEnv>, principal: Principal): void {
  c.set('principal', principal);
  const scope = currentRequestScope();
  if (scope !== undefined) scope.actor = actorOf(principal);
}

const roleList = (roles: readonly Role[]): string =>
  ['owner', ...roles.filter((r) => r !== 'owner')].join(', ');

/** Whether the principal holds one of the roles (an owner holds every role). */
export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  const role = roleOf(principal);
  return role === 'owner' || (role !== undefined && roles.includes(role));
}

/**
 * Operator routes: owners (the bootstrap token or an owner operator) and the
 * operator roles listed. Anyone else with a valid token gets 403, no or a bad
 * token 401.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const result = await c.var.auth();
    if (result.kind === 'anonymous' || result.kind === 'invalid') return unauthorized(c, result);
    if (!hasRole(result, roles)) return forbidden(c, `This route is for the roles: ${roleList(roles)}.`);
    admit(c, result);
    await next();
  };
}

/** Owner-only routes (the bootstrap admin token or an owner operator). */
export const requireAdmin: MiddlewareHandler<ApiEnv> = requireRole();

/** Any valid token: admin, operator or freelancer (e.g. reading the policy). */
export const requireToken: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const result = await c.var.auth();
  if (result.kind === 'anonymous' || result.kind === 'invalid') return unauthorized(c, result);
  admit(c, result);
  await next();
};

/**
 * Routes about one freelancer: that freelancer's own token, owners, and the
 * operator roles listed. `param` names the path parameter holding the
 * freelancer id; it is compared as sent, before validation, so a malformed id
 * can never match a token.
 */
export function requireRoleOr(param: string, ...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const result = await c.var.auth();
    if (result.kind === 'anonymous' || result.kind === 'invalid') return unauthorized(c, result);
    if (result.kind === 'freelancer') {
      if (result.freelancerId !== c.req.param(param)) {
        return forbidden(c, 'A freelancer token can only act on its own freelancer.');
      }
    } else if (!hasRole(result, roles)) {
      return forbidden(c, `This route is for the freelancer itself and the roles: ${roleList(roles)}.`);
    }
    admit(c, result);
    await next();
  };
}

/** The freelancer it names or an owner. */
export function requireAdminOr(param: string): MiddlewareHandler<ApiEnv> {
  return requireRoleOr(param);
}

/**
 * Routes whose freelancer id travels in the body (submitting a proposal): any
 * freelancer token (checked against the body by `ensureMayActFor` after
 * validation), owners and the roles listed.
 */
export function requireFreelancerOrRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const result = await c.var.auth();
    if (result.kind === 'anonymous' || result.kind === 'invalid') return unauthorized(c, result);
    if (result.kind !== 'freelancer' && !hasRole(result, roles)) {
      return forbidden(c, `This route is for freelancers and the roles: ${roleList(roles)}.`);
    }
    admit(c, result);
    await next();
  };
}

/** Whether the principal may act on this freelancer's account: its own token, an owner, or a listed role. */
export function mayActFor(principal: Principal, freelancerId: string, roles: readonly Role[] = []): boolean {
  if (principal.kind === 'freelancer') return principal.freelancerId === freelancerId;
  return hasRole(principal, roles);
}

/**
 * For routes whose freelancer id travels in the body (e.g. submitting a
 * proposal): call after validation with the id from the request. Throws the
 * same 403 as `requireRoleOr`.
 */
export function ensureMayActFor(c: Context<ApiEnv>, freelancerId: string, roles: readonly Role[] = []): void {
  const principal = c.var.principal;
  const scope = currentRequestScope();
  if (scope !== undefined) scope.freelancerId ??= freelancerId;
  if (principal === undefined || !mayActFor(principal, freelancerId, roles)) {
    fail('forbidden', 'A freelancer token can only act on its own freelancer.', { freelancerId });
  }
}

/** OpenAPI security requirement shared by every protected route. */
export const bearerSecurity = [{ bearer: [] }];
