/**
 * The one place the UI talks HTTP. Every call carries the session's bearer
 * token; every failure becomes an ApiError with the API's stable code (or
 * `network` when the server could not be reached), so screens only ever
 * switch on codes.
 */
export interface Session {
  readonly token: string;
  /** Empty for the server that served the UI (same origin). */
  readonly baseUrl: string;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: string, message: string, status: number, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Query;
  /** Sent as Idempotency-Key so a retried click never applies twice. */
  readonly idempotencyKey?: string;
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${baseUrl}${path}${search === '' ? '' : `?${search}`}`;
}

function headersFor(session: Session, options: RequestOptions): Headers {
  const headers = new Headers({ Authorization: `Bearer ${session.token}` });
  headers.set('Accept', options.accept ?? 'application/json');
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (options.idempotencyKey !== undefined) headers.set('Idempotency-Key', options.idempotencyKey);
  return headers;
}

async function send(
  session: Session,
  method: string,
  path: string,
  options: RequestOptions,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(buildUrl(session.baseUrl, path, options.query), {
      method,
      headers: headersFor(session, options),
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('network', 'The server could not be reached.', 0);
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const e = body.error;
    if (e !== undefined && typeof e.code === 'string') {
      const details =
        typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : {};
      return new ApiError(
        e.code,
        typeof e.message === 'string' ? e.message : e.code,
        response.status,
        details,
      );
    }
  } catch {
    // Not JSON: fall through to a generic error named after the status.
  }
  return new ApiError(`http_${response.status}`, `The server answered ${response.status}.`, response.status);
}

export async function requestJson<T>(
  session: Session,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const response = await send(session, method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * A random id for purchases, proposals and idempotency keys. Not
 * crypto.randomUUID: that exists only on secure origins, and the UI may be
 * served over plain HTTP on a LAN.
 */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
