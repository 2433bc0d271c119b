import { MS_PER_SECOND } from '../core/time.ts';

export const DEFAULT_TIMEOUT_MS = 10 * MS_PER_SECOND;
/** Enough of an error response to tell what went wrong, without storing whole pages. */
const MAX_ERROR_TEXT = 300;

export interface SendOutcome {
  readonly delivered: boolean;
  /** HTTP status, or null when no response came (refused, timed out, reset). */
  readonly status: number | null;
  readonly error: string | null;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The start of an error response, read only as far as needed (a receiver may send a huge page). */
async function excerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= MAX_ERROR_TEXT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
    await reader.cancel();
  } catch {
    // A body cut short still says what it said so far.
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}...` : text;
}

/**
 * POSTs one delivery. Only a 2xx counts; redirects are not followed (a
 * receiver that moved must be re-registered), and the whole exchange,
 * body included, is bounded by the timeout.
 */
export async function postWebhook(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
  fetchImpl: FetchLike = fetch,
): Promise<SendOutcome> {
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'connects-webhooks/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel();
      return { delivered: true, status: response.status, error: null };
    }
    const text = await excerpt(response);
    return {
      delivered: false,
      status: response.status,
      error: `HTTP ${response.status}${text ? `: ${text}` : ''}`,
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { delivered: false, status: null, error: `timed out after ${timeoutMs} ms` };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return {
      delivered: false,
      status: null,
      error: `${error instanceof Error ? error.message : String(error)}${cause}`,
    };
  }
}
