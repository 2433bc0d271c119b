/**
 * The UI's one error type: the API's stable code (or `network` when the
 * server could not be reached, `http_<status>` when it answered without an
 * API error body), so screens only ever switch on codes, plus the request id
 * the server logged the request under, for a person to quote.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;
  readonly requestId: string | null;
  constructor(
    code: string,
    message: string,
    status: number,
    details: Record<string, unknown> = {},
    requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
    this.requestId = requestId;
  }
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
