import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './fields.ts';
import { jobColumns, jobFromRow } from './job-rows.ts';
import { jobView, type JobView } from './job-view.ts';

/** Which jobs a list shows: one status, or every job (`all`). */
export const jobListStatuses = ['open', 'hired', 'cancelled', 'removed', 'all'] as const;
export type JobListStatus = (typeof jobListStatuses)[number];

export const listJobsInputSchema = z.strictObject({
  /** `open` (the default) for the job board; the console also lists closed jobs. */
  status: z.enum(jobListStatuses).optional(),
  limit: z.int().min(1).max(MAX_PAGE_SIZE).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type ListJobsInput = z.infer<typeof listJobsInputSchema>;

export interface ListJobsOutput {
  readonly jobs: readonly JobView[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

interface Position {
  readonly postedAt: Instant;
  readonly jobId: string;
}

const encode = (p: Position): string =>
  Buffer.from(JSON.stringify([p.postedAt, p.jobId])).toString('base64url');

function decode(cursor: string): Position | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [postedAt, jobId] = value as unknown[];
    if (!Number.isSafeInteger(postedAt) || typeof jobId !== 'string') return undefined;
    return { postedAt: postedAt as number, jobId };
  } catch {
    return undefined;
  }
}

/**
 * Jobs of one status (open by default) or all of them, newest first, one
 * bounded page at a time (keyset paging: stable while jobs are posted or
 * closed, since a cursor is a position, not an offset).
 */
export async function listJobs(
  ctx: AppContext,
  input: ListJobsInput,
  _now: Instant,
): Promise<Result<ListJobsOutput>> {
  const parsed = parseInput(listJobsInputSchema, input);
  if (!parsed.ok) return parsed;
  const status = parsed.value.status ?? 'open';
  const limit = parsed.value.limit ?? DEFAULT_PAGE_SIZE;
  const after = parsed.value.cursor === undefined ? undefined : decode(parsed.value.cursor);
  if (parsed.value.cursor !== undefined && after === undefined) {
    return err(connectsError('validation_failed', 'The cursor is not one this API returned.'));
  }
  // A literal status for the partial index of open jobs; the others use (status, posted_at).
  const where = status === 'all' ? 'TRUE' : `status = '${status}'`;
  const { rows } = await ctx.store.query<Parameters<typeof jobFromRow>[0]>(
    `SELECT ${jobColumns} FROM jobs
      WHERE ${where} AND ($1::bigint IS NULL OR (posted_at, job_id) < ($1::bigint, $2::text))
      ORDER BY posted_at DESC, job_id DESC LIMIT $3`,
    [after?.postedAt ?? null, after?.jobId ?? null, limit + 1],
  );
  const jobs = rows.slice(0, limit).map((row) => jobView(jobFromRow(row)));
  const last = jobs[jobs.length - 1];
  const nextCursor =
    rows.length > limit && last !== undefined ? encode({ postedAt: last.postedAt, jobId: last.jobId }) : null;
  return ok({ jobs, nextCursor });
}
