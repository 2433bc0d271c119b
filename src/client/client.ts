import type { paths } from './schema.ts';
import type {
  ApiErrorCode,
  CommonOptions,
  HttpMethod,
  Operation,
  OptionsArg,
  PathsWith,
  ResponseBody,
} from './types.ts';

/**
 * A thin typed client for the Connects API: fetch plus the generated types.
 * It runs in browsers and Node alike (no Node imports). Every non-2xx answer
 * becomes a ConnectsApiError carrying the API's stable error code.
 */

/** A failed API call: the error body's code, message and details, plus the HTTP status. */
export class ConnectsApiError extends Error {
  constructor(
    readonly status: number,
    /** A registry code, or `invalid_response` when the answer was not the API's error body (e.g. a proxy page). */
    readonly code: ApiErrorCode | 'invalid_response',
    message: string,
    readonly details: Readonly<Record<string, unknown>> | undefined,
    /** From Retry-After, for 503 answers. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
    this.name = 'ConnectsApiError';
  }
}

export interface ClientOptions {
  /** e.g. http://localhost:3000 (no trailing path). */
  readonly baseUrl: string;
  /** The admin token or a freelancer token; omitted for public routes. */
  readonly token?: string;
  /** Defaults to the global fetch; tests and SSR may pass their own. */
  readonly fetch?: typeof fetch;
}

type Method<M extends HttpMethod> = <P extends PathsWith<M>>(
  path: P,
  ...options: OptionsArg<Operation<P, M>>
) => Promise<ResponseBody<Operation<P, M>>>;

export interface ConnectsClient {
  readonly get: Method<'get'>;
  readonly post: Method<'post'>;
  readonly put: Method<'put'>;
  readonly patch: Method<'patch'>;
  readonly delete: Method<'delete'>;
  /** The raw Response of a successful call (e.g. CSV downloads); errors still throw ConnectsApiError. */
  raw(method: HttpMethod, path: keyof paths, options?: RawOptions): Promise<Response>;
  /** The same client acting with another token. */
  withToken(token: string | undefined): ConnectsClient;
}

export interface RawOptions extends CommonOptions {
  readonly path?: Readonly<Record<string, string | number>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
}

export function buildUrl(baseUrl: string, template: string, options: RawOptions = {}): string {
  const path = template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = options.path?.[name];
    if (value === undefined) throw new TypeError(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) query.set(key, String(value));
  }
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return `${baseUrl.replace(/\/+$/, '')}${path}${search}`;
}

async function toError(response: Response): Promise<ConnectsApiError> {
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : undefined;
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const error = body.error;
    if (typeof error?.code === 'string' && typeof error.message === 'string') {
      const details =
        typeof error.details === 'object' ? (error.details as Record<string, unknown>) : undefined;
      return new ConnectsApiError(
        response.status,
        error.code as ApiErrorCode,
        error.message,
        details,
        retryAfterSeconds,
      );
    }
  } catch {
    // Not JSON: fall through to invalid_response.
  }
  const message = `HTTP ${response.status} without an API error body: ${text.slice(0, 200)}`;
  return new ConnectsApiError(response.status, 'invalid_response', message, undefined, retryAfterSeconds);
}

async function parseBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

export function createClient(options: ClientOptions): ConnectsClient {
  const doFetch = options.fetch ?? fetch;

  async function raw(method: HttpMethod, path: keyof paths, request: RawOptions = {}): Promise<Response> {
    const headers = new Headers(request.headers);
    if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
    if (request.idempotencyKey !== undefined) headers.set('idempotency-key', request.idempotencyKey);
    const init: RequestInit = { method: method.toUpperCase(), headers };
    if (request.signal !== undefined) init.signal = request.signal;
    if (request.body !== undefined) {
      headers.set('content-type', 'application/json');
      init.body = JSON.stringify(request.body);
    }
    const response = await doFetch(buildUrl(options.baseUrl, path, request), init);
    if (!response.ok) throw await toError(response);
    return response;
  }

  const method =
    <M extends HttpMethod>(name: M): Method<M> =>
    async (path, ...rest) =>
      parseBody(await raw(name, path, rest[0] as RawOptions | undefined)) as never;

  return {
    get: method('get'),
    post: method('post'),
    put: method('put'),
    patch: method('patch'),
    delete: method('delete'),
    raw,
    withToken: (token) =>
      createClient({ ...options, ...(token === undefined ? { token: undefined } : { token }) }),
  };
}
