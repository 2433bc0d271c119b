import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { recordAudit, recordAudits, type AuditRecord } from '../app/operators/audit.ts';
import { ID_PATTERN } from '../app/input/ids.ts';
import type { Clock } from '../clock.ts';
import { Batcher } from '../store/batcher.ts';
import { isStoreUnavailableError } from '../store/sql-client.ts';
import type { LedgerStore } from '../store/store.ts';
import { actorOf } from './auth.ts';
import type { Logger } from './logger.ts';
import { currentRequestScope, withRequestScope } from './request-scope.ts';
import type { ApiEnv } from './services.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FREELANCER_IN_PATH = /^\/v1\/(?:admin\/)?(?:freelancers|purchases)\/([^/]+)/;

/** The freelancer a path names (/v1/freelancers/{id}/..., /v1/admin/freelancers/{id}/...), if any. */
function freelancerInPath(path: string): string | undefined {
  const raw = FREELANCER_IN_PATH.exec(path)?.[1];
  if (raw === undefined) return undefined;
  try {
    const id = decodeURIComponent(raw);
    return ID_PATTERN.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

async function errorCode(response: Response): Promise<string | null> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : null;
  } catch {
    return null;
  }
}

/**
 * Writes one audit row per write request (POST, PUT, PATCH, DELETE) of an
 * operator or the bootstrap admin, whatever its outcome: allowed, refused by
 * the auth guard (403 for a role that may not), or refused by the use case
 * (limit_exceeded, validation_failed, ...). A request whose token is missing
 * or invalid has no actor and leaves no row (it is logged and rate-limited
 * instead).
 *
 * Routes whose write is one transaction of their own (operators and their
 * keys) write the row of a successful request inside that transaction
 * (`auditInTransaction`). Elsewhere the row is written after the handler
 * decided the response and before the response leaves (the rows of
 * concurrent requests share one statement): a client that saw the answer of
 * an operator write can find its row, unless writing it failed (logged as
 * `audit write failed`) or the process died between the write's commit and
 * the row. The entries, jobs
 * and promo codes the write created carry the actor in their own
 * transaction either way (src/store/actor-store.ts).
 */
export function auditTrail(store: LedgerStore, clock: Clock, logger: Logger): MiddlewareHandler<ApiEnv> {
  const rows = auditWriter(store);
  return async (c, next) => {
    const scope = await withRequestScope(() => next());
    const status = c.res.status;
    // 503: the store was unreachable or the server is stopping; nothing was written, and waiting for the
    // store again to say so would hold the answer (and a shutdown) for another timeout.
    if (!WRITE_METHODS.has(c.req.method) || scope.audited === true || status === 503) return;
    let actor = scope.actor;
    if (
      actor === undefined &&
      (status === 403 || status === 404) &&
      c.req.header('authorization') !== undefined
    ) {
      // Refused before any guard admitted it (a role that may not): who tried.
      const result = await c.var.auth().catch(() => undefined);
      if (result !== undefined && result.kind !== 'anonymous' && result.kind !== 'invalid') {
        actor = actorOf(result);
      }
    }
    if (actor === undefined) return;
    const path = c.req.path;
    const matched = routePath(c);
    try {
      await rows.write({
        at: clock.now(),
        actor: actor.id,
        actorRole: actor.role,
        requestId: c.var.requestId,
        method: c.req.method,
        route: matched === '' || matched === '*' || matched === '/*' ? path : matched,
        path,
        freelancerId: scope.freelancerId ?? freelancerInPath(path) ?? scope.written[0]?.account ?? null,
        status,
        errorCode: status >= 400 ? await errorCode(c.res) : null,
        entries: scope.written,
      });
    } catch (error) {
      logger.log('error', 'audit write failed', {
        requestId: c.var.requestId,
        actor: actor.id,
        method: c.req.method,
        path,
        status,
        error: (error as Error).message,
      });
    }
  };
}

/**
 * Rows of concurrent requests written together, one statement per batch (a
 * batch runs outside every request, so the store adds no actor transaction
 * around it). A batch the database refuses is written row by row, so a bad
 * row fails alone; a store that is gone fails the whole batch.
 */
function auditWriter(store: LedgerStore): { write(record: AuditRecord): Promise<void> } {
  // Each row's outcome: null when written, else the error that refused it.
  const batcher = new Batcher<AuditRecord, unknown>(
    async (records) => {
      try {
        await recordAudits(store, records);
        return records.map(() => null);
      } catch (error) {
        if (records.length === 1 || isStoreUnavailableError(error)) throw error;
        return Promise.all(
          records.map((r) =>
            recordAudit(store, r).then(
              () => null,
              (e: unknown) => e,
            ),
          ),
        );
      }
    },
    { maxBatch: 256, windowMs: 1, maxInFlight: 2 },
  );
  return {
    async write(record) {
      const failed = await batcher.submit(record);
      if (failed !== null) throw failed;
    },
  };
}

/**
 * For a route whose write is one transaction it runs itself: writes the
 * request's audit row (status `status`, no entries) inside that transaction,
 * so the change and its row commit together, and tells the trail not to
 * write another. Call it from within the transaction, after the change.
 */
export function auditInTransaction(
  c: Context<ApiEnv>,
  clock: Clock,
  status: number,
): (tx: Pick<LedgerStore, 'query'>) => Promise<void> {
  return async (tx) => {
    const scope = currentRequestScope();
    const actor = scope?.actor;
    if (scope === undefined || actor === undefined) return;
    await recordAudit(tx, {
      at: clock.now(),
      actor: actor.id,
      actorRole: actor.role,
      requestId: c.var.requestId,
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      freelancerId: null,
      status,
      errorCode: null,
      entries: [],
    });
    scope.audited = true;
  };
}
