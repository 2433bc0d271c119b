import { err, ok, type ConnectsError, type Result } from '../../core/errors.ts';
import type { Operation } from '../../core/ledger/operations.ts';
import type { Instant } from '../../core/time.ts';
import type { ExecuteResult, StoreTx } from '../../store/store.ts';
import type { AppContext } from '../context.ts';

/** Carries an expected failure out of a transaction so that everything it wrote rolls back. */
class Abort extends Error {
  constructor(readonly failure: ConnectsError) {
    super(failure.message);
  }
}

/** Throws (rolling the transaction back) unless the result is ok. */
export function orAbort<T>(result: Result<T>): T {
  if (!result.ok) throw new Abort(result.error);
  return result.value;
}

/**
 * Runs a use case's reads and writes in one store transaction. A failed
 * result rolls back every row and ledger operation written before it, so a
 * use case either happens entirely or not at all. The store may run `fn` more
 * than once (deadlock, serialization failure), so `fn` has no outside effects.
 */
export async function inTransaction<T>(
  ctx: AppContext,
  fn: (tx: StoreTx) => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await ctx.store.transaction(async (tx) => ok(orAbort(await fn(tx))));
  } catch (error) {
    if (error instanceof Abort) return err(error.failure);
    throw error;
  }
}

/** Applies one account's ledger operations inside the transaction, aborting it on failure. */
export async function applyOrAbort(
  tx: StoreTx,
  account: string,
  ops: readonly Operation[],
  now: Instant,
  idempotencyKey: string,
): Promise<ExecuteResult> {
  return orAbort(await tx.applyOps(account, ops, now, idempotencyKey));
}
