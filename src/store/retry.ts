import { isRetryable, type SqlClient, type SqlTx } from './sql-client.ts';

/** Bounded: a batch that still conflicts after this many attempts fails loudly. */
export const MAX_ATTEMPTS = 8;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs fn in a transaction, again after a deadlock, serialization failure or
 * a unique violation from two writers creating the same account (each retry
 * starts from scratch and sees the other's commit). Short random backoff so
 * two colliding batches do not collide again in step.
 */
export async function transactionWithRetry<T>(client: SqlClient, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.transaction(fn);
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await pause(Math.random() * 2 * attempt);
    }
  }
}
