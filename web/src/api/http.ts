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

/**
 * A proposal id that names its job (`p.<job>.<random>`), so the history can
 * say which job a spend was for; a plain random id when the job id is long.
 */
export function proposalIdFor(jobId: string): string {
  const random = newId('x').slice(2, 14);
  const id = `p.${jobId}.${random}`;
  return id.length <= 64 ? id : newId('prop');
}

/** The job a proposal id made by proposalIdFor names, or null. */
export function jobOfProposal(proposalId: string): string | null {
  const match = /^p\.(.+)\.[0-9a-f]{12}$/.exec(proposalId);
  return match?.[1] ?? null;
}
