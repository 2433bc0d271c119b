import { createRoute, z } from '@hono/zod-openapi';
import { requireFreelancer } from '../../app/accounts/freelancer-rows.ts';
import { jobsOfProposals } from '../../app/proposals/list-proposals.ts';
import { entryTypes, type Entry, type EntryType } from '../../core/types.ts';
import { MAX_ENTRIES_PAGE, type EntryQuery, type LedgerStore } from '../../store/store.ts';
import { bearerSecurity, requireRoleOr } from '../auth.ts';
import { fail, unwrap } from '../errors.ts';
import { errorResponses, freelancerIdParams, instantInputSchema, limitQuerySchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { entriesCsv, MAX_EXPORT_ENTRIES } from './entries-csv.ts';
import { entrySchema, wireEntry } from './freelancers-wire.ts';

// eslint-disable-next-line no-control-regex -- NUL is exactly what must be refused
const unstorableText = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A freelancer's history (rules.md 1.5, 7): filtered, paged by an opaque cursor
 * that stays valid while new entries arrive, and as a CSV download of every
 * matching entry (with `Accept: text/csv` or `format=csv`).
 */

const typeList = z
  .string()
  .max(200)
  .transform((text, ctx): EntryType[] => {
    const known: readonly string[] = entryTypes;
    const types = text.split(',').map((t) => t.trim());
    const bad = types.find((t) => !known.includes(t));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown entry type ${bad.slice(0, 40)}; one of ${entryTypes.join(', ')}`,
      });
      return z.NEVER;
    }
    return types as EntryType[];
  })
  .openapi({
    type: 'string',
    description: 'One entry type or several, comma-separated.',
    example: 'grant,debit',
  });

const entriesQuery = z.object({
  since: instantInputSchema
    .optional()
    .openapi({ description: 'Entries effective at or after this instant.' }),
  until: instantInputSchema.optional().openapi({ description: 'Entries effective before this instant.' }),
  type: typeList.optional(),
  ref: z
    .string()
    .min(1)
    .max(200)
    // The database cannot hold NUL or half a surrogate pair, so no stored reference contains one.
    .refine((text) => !unstorableText.test(text), 'must be text without NUL characters or lone surrogates')
    .optional()
    .openapi({ description: 'Only entries with this reference.' }),
  cursor: z.string().min(1).max(200).optional().openapi({ description: "The previous page's nextCursor." }),
  limit: limitQuerySchema,
  order: z.enum(['desc', 'asc']).optional().openapi({ description: 'desc (default): newest first.' }),
  format: z.enum(['json', 'csv']).optional().openapi({ description: 'csv: the same as Accept: text/csv.' }),
});

const historyEntrySchema = entrySchema
  .extend({
    jobId: z.string().nullable().openapi({
      description:
        "The job of the freelancer's proposal the entry is about (its ref is proposal:…); null otherwise.",
    }),
    actor: z
      .object({
        id: z.string().openapi({ description: 'The operator id, or admin for the bootstrap token.' }),
        role: z.string().openapi({ description: 'Its role when it wrote the entry.' }),
      })
      .nullable()
      .openapi({
        description:
          'Who wrote the entry through the API: an operator or the bootstrap admin (docs/operators.md); ' +
          "null for the freelancer's own requests, the scheduler and the CLI.",
      }),
  })
  .openapi('HistoryEntry');

const entryPageSchema = z
  .object({
    entries: z.array(historyEntrySchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as cursor for the next page; null on the last.' }),
  })
  .openapi('EntryPage');

const route = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/entries',
  operationId: 'listEntries',
  tags: ['ledger'],
  summary: "The freelancer's ledger history, filtered and paged, or as CSV.",
  description:
    `A page holds up to ${MAX_ENTRIES_PAGE} entries (default 50). With Accept: text/csv (or format=csv) ` +
    `the answer is a CSV file of every matching entry from the cursor on (at most ${MAX_EXPORT_ENTRIES}), ` +
    'streamed page by page; limit then sets the page size read per round trip.',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support', 'finance')] as const,
  request: { params: freelancerIdParams, query: entriesQuery },
  responses: {
    200: {
      description: 'A page of entries, or the CSV export.',
      content: {
        'application/json': { schema: entryPageSchema },
        'text/csv': {
          schema: z.string().openapi({ description: 'One header row, then one row per entry.' }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return accept !== undefined && /\btext\/csv\b/i.test(accept);
}

/** The proposal an entry is about: its cost, its boost's hold, charge and release and refunds have ref `proposal:<id>`. */
function proposalOf(entry: Entry): string | null {
  return entry.ref?.startsWith('proposal:') === true ? entry.ref.slice('proposal:'.length) : null;
}

/** Who wrote each of the entries (migration 071's actor columns), by seq: one query per page. */
async function actorsOf(store: LedgerStore, freelancerId: string, entries: readonly Entry[]) {
  const actors = new Map<number, { id: string; role: string }>();
  if (entries.length === 0) return actors;
  const { rows } = await store.query<{ seq: number | string; actor: string; actor_role: string | null }>(
    `SELECT seq, actor, actor_role FROM entries
     WHERE account = $1 AND seq = ANY($2::int8[]) AND actor IS NOT NULL`,
    [freelancerId, entries.map((e) => e.seq)],
  );
  for (const row of rows) actors.set(Number(row.seq), { id: row.actor, role: row.actor_role ?? '' });
  return actors;
}

/** The page's entries on the wire, each naming the job its proposal was for and its actor (one query each per page). */
async function withJobs(store: LedgerStore, freelancerId: string, entries: readonly Entry[]) {
  const proposals = entries.map(proposalOf);
  const jobs = await jobsOfProposals(
    store,
    freelancerId,
    proposals.filter((p) => p !== null),
  );
  const actors = await actorsOf(store, freelancerId, entries);
  return entries.map((entry, i) => {
    const proposalId = proposals[i];
    const jobId = proposalId === null || proposalId === undefined ? undefined : jobs.get(proposalId);
    return { ...wireEntry(entry), jobId: jobId ?? null, actor: actors.get(entry.seq) ?? null };
  });
}

/** Reads the first page before answering, so a bad cursor is still a 400 and not a broken download. */
async function firstPage(store: LedgerStore, id: string, query: EntryQuery) {
  return unwrap(await store.entries(id, query));
}

export const entryRoutes: RouteModule = (app, { store, reads }) => {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    if (q.since !== undefined && q.until !== undefined && q.until <= q.since) {
      fail('validation_failed', 'until must be after since.', {
        issues: [{ in: 'query', path: 'until', message: 'must be after since' }],
      });
    }
    // Whether the freelancer exists is exact (the primary); the history itself may lag (the replica).
    unwrap(await requireFreelancer(store, id));
    const csv = wantsCsv(q.format, c.req.header('accept'));
    const query: EntryQuery = {
      ...(q.since === undefined ? {} : { since: q.since }),
      ...(q.until === undefined ? {} : { until: q.until }),
      ...(q.type === undefined ? {} : { types: q.type }),
      ...(q.ref === undefined ? {} : { ref: q.ref }),
      ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      limit: q.limit ?? (csv ? MAX_ENTRIES_PAGE : 50),
      order: q.order ?? 'desc',
    };
    const page = await firstPage(reads.store, id, query);
    if (!csv) {
      return c.json(
        { entries: await withJobs(reads.store, id, page.entries), nextCursor: page.nextCursor },
        200,
      );
    }
    const stream = entriesCsv((cursor) => reads.store.entries(id, { ...query, cursor }), page);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="connects-${id}-entries.csv"`);
    c.header('cache-control', 'no-store');
    return c.body(stream, 200);
  });
};
