import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from '../../src/events/testing/receiver.ts';
import { createTestDatabase, type TestDatabase } from '../../src/store/testing/test-databases.ts';
import { freePort } from './private-postgres.ts';
import { FAULT_ADMIN_TOKEN, startServerProcess, type ServerProcess } from './server-process.ts';

/**
 * Three real server processes (`node bin/connects.mjs serve`) on one scratch
 * database, started at once (they race to migrate), with one load spread
 * over them: concurrent proposals and purchases on the same accounts, each
 * retry sent to a different server than the first try, all three running the
 * scheduler at the same instant, and all three dispatching webhooks to one
 * receiver. Manual clocks, set to the same instant on every server, so the
 * monthly allotment falls due on request.
 */
const FREELANCERS = 6;
const JOBS = 16;
const START_BALANCE = 50;
const PURCHASE = 20;
const DAY_MS = 86_400_000;

const admin = { authorization: `Bearer ${FAULT_ADMIN_TOKEN}`, 'content-type': 'application/json' };

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...admin, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three servers on one database', () => {
  let db: TestDatabase;
  let servers: ServerProcess[] = [];
  let receiver: TestReceiver;
  const ids = Array.from({ length: FREELANCERS }, (_, i) => `multi-${i}`);
  /** The same instant on every server's manual clock, ahead of their start. */
  let now = Math.ceil((Date.now() + DAY_MS) / DAY_MS) * DAY_MS + 12 * 3_600_000;
  const base = (i: number) => (servers[i % servers.length] as ServerProcess).url;
  const all = <T>(fn: (url: string, i: number) => Promise<T>) =>
    Promise.all(servers.map((s, i) => fn(s.url, i)));

  async function setClocks(at: number): Promise<void> {
    now = at;
    for (const answer of await all((url) => call(url, 'PUT', '/v1/admin/clock', { now: new Date(at) }))) {
      expect(answer.status).toBe(200);
    }
  }

  async function balance(id: string, i = 0): Promise<number> {
    const answer = await call(base(i), 'GET', `/v1/freelancers/${id}/balance`);
    expect(answer.status).toBe(200);
    return answer.body['balance'] as number;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startReceiver();
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    servers = await Promise.all(
      ports.map((port) =>
        startServerProcess(db.url, port, {
          CONNECTS_MANUAL_CLOCK: '1',
          CONNECTS_WEBHOOK_ALLOW_PRIVATE: '1',
          CONNECTS_BAD_TOKEN_LIMIT: '0',
        }),
      ),
    );
    await setClocks(now);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await receiver?.close();
    await db?.drop();
  });

  it('registers a webhook, freelancers and jobs, each through a different server', async () => {
    const hook = await call(base(0), 'POST', '/v1/admin/webhooks', { url: receiver.url });
    expect(hook.status).toBe(201);
    // Registration retried on every server: one 201, the others replays.
    for (const id of ids) {
      const answers = await all((url) => call(url, 'POST', '/v1/freelancers', { id }));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    }
    for (let j = 0; j < JOBS; j++) {
      const job = await call(base(j), 'POST', '/v1/jobs', {
        id: `mjob-${j}`,
        clientId: 'client-m',
        budgetCents: 60_000,
      });
      expect(job.status).toBe(201);
    }
    for (const id of ids) expect(await balance(id)).toBe(START_BALANCE);
  });

  it('spends concurrently over three servers without overdraft; retries on another server answer once', async () => {
    const proposals: Promise<Answer & { id: string; proposalId: string }>[] = [];
    const purchases: Promise<Answer & { id: string }>[] = [];
    let n = 0;
    for (const id of ids) {
      // The purchase sent to all three servers at once: one applies.
      for (let s = 0; s < 3; s++) {
        const body = { purchaseId: `buy-${id}`, connects: PURCHASE, card: '4242424242424242' };
        purchases.push(
          call(base(s), 'POST', `/v1/freelancers/${id}/purchases`, body).then((a) => ({ ...a, id })),
        );
      }
      for (let j = 0; j < JOBS; j++) {
        const proposalId = `mp-${id}-${j}`;
        const body = { proposalId, freelancerId: id, bidCents: 50_000 };
        // Each proposal twice, to two different servers.
        for (const s of [n, n + 1]) {
          proposals.push(
            call(base(s), 'POST', `/v1/jobs/mjob-${j}/proposals`, body).then((a) => ({
              ...a,
              id,
              proposalId,
            })),
          );
        }
        n += 1;
      }
    }
    const [proposed, bought] = await Promise.all([Promise.all(proposals), Promise.all(purchases)]);
    const unexpected = [...proposed, ...bought].filter((a) => a.status >= 500);
    expect(unexpected).toEqual([]);
    // The load asked for more than the balances hold: some proposals had to be refused.
    expect(proposed.filter((p) => p.status >= 400).length).toBeGreaterThan(0);
    for (const id of ids) {
      const mine = bought.filter((b) => b.id === id).map((b) => b.status);
      expect(mine.sort()).toEqual([200, 200, 201]);
    }
    for (const id of ids) {
      const accepted = new Map<string, number[]>();
      for (const p of proposed.filter((x) => x.id === id)) {
        if (p.status >= 400) {
          expect(p.body['error']).toMatchObject({ code: 'insufficient_connects' });
          continue;
        }
        accepted.set(p.proposalId, [...(accepted.get(p.proposalId) ?? []), p.status]);
      }
      // A proposal accepted twice was created once: one 201, the other a replay.
      for (const statuses of accepted.values()) expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      const costs = proposed.filter((p) => p.id === id && p.status === 201).map((p) => proposalCost(p.body));
      const spent = costs.reduce((a, b) => a + b, 0);
      const left = await balance(id, 1);
      expect(left).toBe(START_BALANCE + PURCHASE - spent);
      expect(left).toBeGreaterThanOrEqual(0);
    }
  });

  it('a grant sent to all three servers at once with one Idempotency-Key applies once', async () => {
    const before = await Promise.all(ids.map((id) => balance(id)));
    const answers = await Promise.all(
      ids.flatMap((id) =>
        servers.map((server) =>
          call(
            server.url,
            'POST',
            '/v1/admin/grants',
            { freelancerId: id, connects: 7, reason: 'goodwill' },
            { 'idempotency-key': `goodwill-${id}` },
          ),
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array<number>(answers.length).fill(201));
    const after = await Promise.all(ids.map((id) => balance(id, 1)));
    expect(after.map((b, i) => b - (before[i] as number))).toEqual(ids.map(() => 7));
  });

  it('the monthly allotment runs once when all three servers tick at the same instant', async () => {
    // Everything so far delivered before the clocks move (the tick then prunes old events).
    expect(await deliveriesSettled()).toHaveLength(receiver.accepted().length);
    const before = await Promise.all(ids.map((id) => balance(id)));
    await setClocks(now + 32 * DAY_MS);
    const runs = await all((url) => call(url, 'POST', '/v1/admin/tick'));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
    const cycles = runs.reduce((sum, r) => sum + (r.body['cycles'] as number), 0);
    expect(cycles).toBe(FREELANCERS);
    const after = await Promise.all(ids.map((id) => balance(id, 2)));
    const allotted = after.map((b, i) => b - (before[i] as number));
    expect(new Set(allotted).size).toBe(1);
    expect(allotted[0]).toBeGreaterThan(0);
    // And again at once: nothing is left to do.
    const again = await all((url) => call(url, 'POST', '/v1/admin/tick'));
    expect(again.reduce((sum, r) => sum + (r.body['cycles'] as number), 0)).toBe(0);
  });

  it('delivers each webhook event once, in order per freelancer', async () => {
    const inOutbox = await deliveriesSettled();
    expect(inOutbox.length).toBeGreaterThan(0);
    const events = receiver.accepted();
    const eventIds = events.map((e) => e.id);
    // Once: three dispatchers polling the same queue never sent an event twice.
    expect(new Set(eventIds).size).toBe(eventIds.length);
    expect(receiver.received.length).toBe(events.length);
    for (const id of ids) {
      const mine = events.filter((e) => e.data['freelancerId'] === id).map((e) => eventNumber(e.id));
      expect(mine.length).toBeGreaterThan(0);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });

  /**
   * Waits until every event written so far was fanned out and delivered (each server's dispatcher polls
   * about once a second), and returns the ids of the events still in the outbox (the scheduler prunes
   * old ones), each of which the receiver must have accepted.
   */
  async function deliveriesSettled(): Promise<number[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [state] = await sql<{ waiting: number; ids: number[] }>(
        `SELECT (SELECT count(*) FROM event_outbox WHERE fanned_out_at IS NULL)::int
                + (SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered')::int AS waiting,
                (SELECT coalesce(array_agg(id::int ORDER BY id), '{}') FROM event_outbox) AS ids`,
      );
      const accepted = new Set(receiver.accepted().map((e) => eventNumber(e.id)));
      const missing = (state?.ids ?? []).filter((id) => !accepted.has(id));
      if (state?.waiting === 0 && missing.length === 0) return state.ids;
      if (Date.now() > deadline) {
        throw new Error(`not delivered: ${state?.waiting} waiting, ${missing.length} not received`);
      }
      await pause(250);
    }
  }

  async function sql<R>(text: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(text)).rows as R[];
    } finally {
      await client.end();
    }
  }
});

/** The Connects a submitted proposal cost (its price plus any boost). */
function proposalCost(body: Record<string, unknown>): number {
  const proposal = (body['proposal'] ?? body) as Record<string, unknown>;
  const cost = proposal['costConnects'] ?? proposal['connectsSpent'] ?? proposal['priceConnects'];
  if (typeof cost !== 'number') throw new Error(`no cost in ${JSON.stringify(body)}`);
  return cost;
}

const eventNumber = (id: string): number => Number(id.replace(/^evt_/, ''));
