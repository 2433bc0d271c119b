/**
 * Slows down token guessing: a client (by its socket address) that sends
 * more than `maxFailures` bad bearer tokens within `windowMs` is answered
 * 429 until its window ends, before any token lookup. Fixed windows per
 * client, in memory, per process; the table is bounded so a flood of
 * addresses cannot grow it without limit.
 */
export interface BadTokenLimiterOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  /** Clients tracked at once; when full, the oldest window is dropped. */
  readonly maxClients?: number;
  readonly now?: () => number;
}

interface Window {
  readonly startedAt: number;
  failures: number;
  /** Whether the "limited" log line was written for this window. */
  reported: boolean;
}

export const DEFAULT_MAX_BAD_TOKENS = 20;
export const DEFAULT_BAD_TOKEN_WINDOW_MS = 60_000;

export class BadTokenLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;

  constructor(options: BadTokenLimiterOptions = {}) {
    this.#maxFailures = options.maxFailures ?? DEFAULT_MAX_BAD_TOKENS;
    this.#windowMs = options.windowMs ?? DEFAULT_BAD_TOKEN_WINDOW_MS;
    this.#maxClients = options.maxClients ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  #current(client: string): Window | undefined {
    const window = this.#windows.get(client);
    if (window !== undefined && this.#now() - window.startedAt >= this.#windowMs) {
      this.#windows.delete(client);
      return undefined;
    }
    return window;
  }

  /** Seconds the client must wait, or undefined when it may try a token now. */
  blockedFor(client: string): number | undefined {
    const window = this.#current(client);
    if (window === undefined || window.failures < this.#maxFailures) return undefined;
    return Math.max(1, Math.ceil((window.startedAt + this.#windowMs - this.#now()) / 1000));
  }

  /** Counts a bad token; true the first time the client crosses the limit in its window (log it once). */
  recordFailure(client: string): boolean {
    let window = this.#current(client);
    if (window === undefined) {
      if (this.#windows.size >= this.#maxClients) {
        const oldest = this.#windows.keys().next().value;
        if (oldest !== undefined) this.#windows.delete(oldest);
      }
      window = { startedAt: this.#now(), failures: 0, reported: false };
      this.#windows.set(client, window);
    }
    window.failures += 1;
    if (window.failures >= this.#maxFailures && !window.reported) {
      window.reported = true;
      return true;
    }
    return false;
  }
}
