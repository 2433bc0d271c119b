import { isRetryable } from './sql-client.ts';

/** Bounded: work that still conflicts after this many attempts fails loudly. */
export const MAX_ATTEMPTS = 8;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a transaction's work again after a deadlock, serialization failure or
 * a unique violation from two writers creating the same account (each
 * attempt starts from scratch and sees the other's commit). A short random
 * backoff keeps two colliding writers from colliding again in step.
 */
export async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await pause(Math.random() * 2 * attempt);
    }
  }
}
