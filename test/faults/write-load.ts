import pg from 'pg';
import { FAULT_ADMIN_TOKEN } from './server-process.ts';

/**
 * A bounded write load of proposals and purchases over HTTP, every request
 * with a deterministic id, so any write can be sent again later with the same
 * id. Every answer is logged with its id, status and time.
 */

export const FREELANCERS = ['ft-ada', 'ft-bob', 'ft-cy', 'ft-dee', 'ft-eve', 'ft-fay', 'ft-gus', 'ft-hal'];
/** Proposal n goes to job floor(n / FREELANCERS.length): a freelancer applies to a job once. */
export const JOBS = 160;
export const MAX_OPS = FREELANCERS.length * JOBS;

export interface Outcome {
  readonly n: number;
  /** HTTP status, or 0 when no answer came (connection refused or reset). */
  readonly status: number;
  readonly sentAt: number;
  readonly at: number;
  readonly retryAfter?: string | null;
  /** The Connection header of the answer. */
  readonly connection?: string | null;
  readonly error?: string;
}

export interface LoadReport {
  readonly outcomes: readonly Outcome[];
  /** Every n sent at least once. */
  readonly sent: readonly number[];
  /** n with a 2xx answer: the service acknowledged the write. */
  readonly acknowledged: readonly number[];
}

const admin = { authorization: `Bearer ${FAULT_ADMIN_TOKEN}`, 'content-type': 'application/json' };

export function opRequest(prefix: string, n: number): { path: string; body: unknown; ref: string } {
  const freelancerId = FREELANCERS[n % FREELANCERS.length] as string;
  if (n % 4 === 3) {
    const purchaseId = `${prefix}-buy-${n}`;
    return {
      path: `/v1/freelancers/${freelancerId}/purchases`,
      body: { purchaseId, connects: 10, card: '4242424242424242' },
      ref: `purchase:${purchaseId}`,
    };
  }
  const proposalId = `${prefix}-prop-${n}`;
  const job = `${prefix}-job-${Math.floor(n / FREELANCERS.length)}`;
  return {
    path: `/v1/jobs/${job}/proposals`,
    body: { proposalId, freelancerId, bidCents: 5_000 },
    ref: `proposal:${proposalId}`,
  };
}

async function post(url: string, path: string, body: unknown, timeoutMs = 30_000): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** Freelancers with plenty of Connects (idempotent: safe to run again). */
export async function seed(url: string): Promise<void> {
  for (const id of FREELANCERS) {
    const registered = await post(url, '/v1/freelancers', { id });
    if (registered.status !== 201 && registered.status !== 200) {
      throw new Error(`register ${id}: ${registered.status} ${await registered.text()}`);
    }
    const granted = await fetch(`${url}/v1/admin/grants`, {
      method: 'POST',
      headers: { ...admin, 'idempotency-key': `seed-${id}` },
      body: JSON.stringify({ freelancerId: id, connects: 100_000, reason: 'fault suite' }),
    });
    if (granted.status >= 300) throw new Error(`grant ${id}: ${granted.status} ${await granted.text()}`);
  }
}

/** The jobs one load's proposals go to (a freelancer applies to a job once). */
export async function seedJobs(url: string, prefix: string): Promise<void> {
  const jobs = Array.from({ length: JOBS }, (_, j) => j);
  await Promise.all(
    [0, 1, 2, 3].map(async (lane) => {
      for (const j of jobs.filter((x) => x % 4 === lane)) {
        const posted = await post(url, '/v1/jobs', {
          id: `${prefix}-job-${j}`,
          clientId: 'ft-client',
          budgetCents: 1_000,
        });
        if (posted.status >= 300) throw new Error(`job ${j}: ${posted.status} ${await posted.text()}`);
      }
    }),
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunningLoad {
  /** Grows as answers come. */
  readonly outcomes: Outcome[];
  stop(): Promise<LoadReport>;
}

/**
 * Posts the load's jobs, then runs `lanes` callers, each sending the next
 * write and waiting for its answer, until stop() (or MAX_OPS writes). `url()`
 * is read before every request, so a restarted server is followed.
 */
export async function startLoad(url: () => string, prefix: string, lanes = 6): Promise<RunningLoad> {
  await seedJobs(url(), prefix);
  const outcomes: Outcome[] = [];
  let next = 0;
  let stopping = false;
  const lane = async () => {
    while (!stopping && next < MAX_OPS) {
      const n = next++;
      const { path, body } = opRequest(prefix, n);
      const sentAt = Date.now();
      try {
        const response = await post(url(), path, body);
        await response.arrayBuffer();
        outcomes.push({
          n,
          status: response.status,
          sentAt,
          at: Date.now(),
          retryAfter: response.headers.get('retry-after'),
          connection: response.headers.get('connection'),
        });
        if (response.status === 503) await pause(50);
      } catch (error) {
        const cause = (error as Error).cause ?? error;
        outcomes.push({ n, status: 0, sentAt, at: Date.now(), error: String(cause) });
        await pause(50);
      }
    }
  };
  const running = Promise.all(Array.from({ length: lanes }, lane));
  return {
    outcomes,
    async stop() {
      stopping = true;
      await running;
      const sent = [...new Set(outcomes.map((o) => o.n))].sort((a, b) => a - b);
      const acknowledged = [
        ...new Set(outcomes.filter((o) => o.status >= 200 && o.status < 300).map((o) => o.n)),
      ];
      return { outcomes, sent, acknowledged };
    },
  };
}

/** How many ledger entries each write's reference has (0: not applied, 1: once, 2+: doubled). */
export async function entriesPerRef(
  databaseUrl: string,
  refs: readonly string[],
): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ref: string; n: number }>(
      `SELECT ref, count(*)::int AS n FROM entries WHERE ref = ANY($1::text[]) AND type IN ('debit', 'grant')
       GROUP BY ref`,
      [refs],
    );
    const counts = new Map(refs.map((ref) => [ref, 0]));
    for (const row of rows) counts.set(row.ref, row.n);
    return counts;
  } finally {
    await client.end();
  }
}

/** Sends every write again with its id until it gets a non-503 answer; returns the statuses. */
export async function resend(
  url: string,
  prefix: string,
  ns: readonly number[],
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const deadline = Date.now() + 60_000;
  const queue = [...ns];
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const { path, body } = opRequest(prefix, n);
        for (;;) {
          const status = await post(url, path, body)
            .then(async (r) => (await r.arrayBuffer(), r.status))
            .catch(() => 0);
          if ((status !== 503 && status !== 0) || Date.now() > deadline) {
            statuses.set(n, status);
            break;
          }
          await pause(100);
        }
      }
    }),
  );
  return statuses;
}

export interface LedgerCheck {
  readonly acknowledged: number;
  /** Acknowledged before the resend, yet absent from the ledger. */
  readonly lost: number[];
  /** Applied more than once (after the resend). */
  readonly doubled: number[];
  /** Still absent after the resend. */
  readonly missing: number[];
  /** Resends answered with something other than 2xx. */
  readonly resendFailures: [number, number][];
  /** Answers during the load that are 5xx other than 503, or 4xx. */
  readonly badStatuses: Outcome[];
}

/** The checks of the suite: nothing acknowledged lost, nothing applied twice, every write lands once. */
export async function checkLedger(
  url: string,
  databaseUrl: string,
  prefix: string,
  report: LoadReport,
): Promise<LedgerCheck> {
  const refOf = (n: number) => opRequest(prefix, n).ref;
  const before = await entriesPerRef(databaseUrl, report.acknowledged.map(refOf));
  const lost = report.acknowledged.filter((n) => (before.get(refOf(n)) ?? 0) === 0);
  const statuses = await resend(url, prefix, report.sent);
  const after = await entriesPerRef(databaseUrl, report.sent.map(refOf));
  return {
    acknowledged: report.acknowledged.length,
    lost,
    doubled: report.sent.filter((n) => (after.get(refOf(n)) ?? 0) > 1),
    missing: report.sent.filter((n) => (after.get(refOf(n)) ?? 0) === 0),
    resendFailures: [...statuses].filter(([, s]) => s < 200 || s >= 300),
    badStatuses: report.outcomes.filter(
      (o) => o.status !== 0 && o.status !== 503 && (o.status < 200 || o.status >= 300),
    ),
  };
}
