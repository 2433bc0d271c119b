import { z } from 'zod';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { LedgerStore } from '../../store/store.ts';
import { idSchema } from '../input/ids.ts';
import { instantOrMillisSchema } from '../input/instants.ts';
import { parseInput } from '../input/parse-input.ts';

/**
 * The audit trail: one row per write request made by an operator or the
 * bootstrap admin, refused ones included (docs/operators.md, "Audit trail").
 */

export const MAX_AUDIT_PAGE = 500;
export const DEFAULT_AUDIT_PAGE = 50;

export interface AuditRecord {
  readonly at: Instant;
  readonly actor: string;
  readonly actorRole: string;
  readonly requestId: string;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly freelancerId: string | null;
  readonly status: number;
  readonly errorCode: string | null;
  readonly entries: readonly { readonly account: string; readonly seq: number }[];
}

export interface AuditRow extends AuditRecord {
  readonly id: number;
}

/** Bounds on what one row holds, whatever a request looked like. */
const MAX_ENTRIES_PER_ROW = 1000;
/** At most `max` characters, and no NUL (which no text column stores). */
const clip = (text: string, max: number): string =>
  (text.length > max ? text.slice(0, max) : text).replaceAll('\u0000', '\ufffd');

/** Many rows in one statement (a function scan: inserted, and numbered, in the order given). */
export async function recordAudits(
  store: Pick<LedgerStore, 'query'>,
  records: readonly AuditRecord[],
): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((record) => ({
    at: record.at,
    actor: record.actor,
    actor_role: record.actorRole,
    request_id: record.requestId,
    method: record.method,
    route: clip(record.route, 300),
    path: clip(record.path, 1000),
    freelancer_id: record.freelancerId,
    status: record.status,
    error_code: record.errorCode,
    entries: record.entries.slice(0, MAX_ENTRIES_PER_ROW),
  }));
  await store.query(
    `INSERT INTO audit_log (at, actor, actor_role, request_id, method, route, path, freelancer_id, status,
       error_code, entries)
     SELECT at, actor, actor_role, request_id, method, route, path, freelancer_id, status, error_code, entries
       FROM jsonb_to_recordset($1::jsonb) AS r(at bigint, actor text, actor_role text, request_id text,
         method text, route text, path text, freelancer_id text, status integer, error_code text, entries jsonb)`,
    [JSON.stringify(rows)],
  );
}

export function recordAudit(store: Pick<LedgerStore, 'query'>, record: AuditRecord): Promise<void> {
  return recordAudits(store, [record]);
}

export const auditQuerySchema = z.strictObject({
  /** An operator id, or 'admin' for the bootstrap token. */
  actor: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be an operator id')
    .optional(),
  freelancerId: idSchema.optional(),
  /** Rows at or after this instant. */
  since: instantOrMillisSchema.optional(),
  /** Rows before this instant. */
  until: instantOrMillisSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.int().min(1).max(MAX_AUDIT_PAGE).optional(),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export interface AuditPage {
  readonly rows: readonly AuditRow[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

const encodeCursor = (at: number, id: number): string => Buffer.from(`${at}:${id}`).toString('base64url');

function decodeCursor(cursor: string): { at: number; id: number } | undefined {
  const match = /^(\d{1,16}):(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (match === null) return undefined;
  return { at: Number(match[1]), id: Number(match[2]) };
}

interface Row {
  audit_id: number;
  at: number;
  actor: string;
  actor_role: string;
  request_id: string;
  method: string;
  route: string;
  path: string;
  freelancer_id: string | null;
  status: number;
  error_code: string | null;
  entries: { account: string; seq: number }[] | string;
}

/** Newest first; the cursor holds the last row's (at, id), so pages stay stable while rows arrive. */
export async function listAudit(
  store: Pick<LedgerStore, 'query'>,
  query: AuditQuery,
): Promise<Result<AuditPage>> {
  const parsed = parseInput(auditQuerySchema, query);
  if (!parsed.ok) return parsed;
  const q = parsed.value;
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replaceAll('?', `$${params.length}`));
  };
  if (q.actor !== undefined) add('actor = ?', q.actor);
  if (q.freelancerId !== undefined) add('freelancer_id = ?', q.freelancerId);
  if (q.since !== undefined) add('at >= ?', q.since);
  if (q.until !== undefined) add('at < ?', q.until);
  if (q.cursor !== undefined) {
    const cursor = decodeCursor(q.cursor);
    if (cursor === undefined) {
      return err(
        connectsError('validation_failed', 'The cursor is not valid for this query.', {
          issues: [{ in: 'input', path: 'cursor', message: 'is not a cursor this endpoint returned' }],
        }),
      );
    }
    params.push(cursor.at, cursor.id);
    where.push(`(at, audit_id) < ($${params.length - 1}, $${params.length})`);
  }
  const limit = q.limit ?? DEFAULT_AUDIT_PAGE;
  params.push(limit + 1);
  const result = await store.query<Row>(
    `SELECT audit_id, at, actor, actor_role, request_id, method, route, path, freelancer_id, status,
       error_code, entries
     FROM audit_log ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
     ORDER BY at DESC, audit_id DESC LIMIT $${params.length}`,
    params as never,
  );
  const rows = result.rows.slice(0, limit).map(toRow);
  const last = rows[rows.length - 1];
  const more = result.rows.length > limit && last !== undefined;
  return ok({ rows, nextCursor: more ? encodeCursor(last.at, last.id) : null });
}

function toRow(row: Row): AuditRow {
  const entries = typeof row.entries === 'string' ? JSON.parse(row.entries) : row.entries;
  return {
    id: Number(row.audit_id),
    at: Number(row.at),
    actor: row.actor,
    actorRole: row.actor_role,
    requestId: row.request_id,
    method: row.method,
    route: row.route,
    path: row.path,
    freelancerId: row.freelancer_id,
    status: Number(row.status),
    errorCode: row.error_code,
    entries: (entries as { account: string; seq: number }[]).map((e) => ({
      account: e.account,
      seq: Number(e.seq),
    })),
  };
}
