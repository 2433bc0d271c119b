// First: zod schemas get `.openapi()` only when created after @hono/zod-openapi extends zod.
import '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFreelancer } from '../../src/app/accounts/register-freelancer.ts';
import { setAvailabilityBadge } from '../../src/app/badge/set-availability-badge.ts';
import type { AppContext } from '../../src/app/context.ts';
import { postJob } from '../../src/app/jobs/post-job.ts';
import { submitProposal } from '../../src/app/proposals/submit-proposal.ts';
import { createConnects } from '../../src/connects.ts';
import type { Result } from '../../src/core/errors.ts';
import { MS_PER_DAY, toIso, type Instant } from '../../src/core/time.ts';
import { openTestApi, TEST_START, type TestApi } from '../../src/http/testing/test-api.ts';
import type { LedgerStore } from '../../src/store/store.ts';
import { testEngines, type OpenedEngine } from '../../src/store/testing/test-engines.ts';

/**
 * A library that calls `createConnects(...).runScheduler()` gets exactly the
 * server's scheduler: the same scenario (an allotment due, an auction due to
 * close, a badge due to charge), run on two databases, one ticked through the
 * library and one through POST /v1/admin/tick, gives the same summary and
 * the same ledger.
 */
const DAY = MS_PER_DAY;
const ids = { ada: 'ada', bo: 'bo', cy: 'cy' } as const;
const TICK_AT: Instant = TEST_START + 8 * DAY;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function fund(store: LedgerStore, account: string, connects: number, now: Instant): Promise<void> {
  const op = {
    kind: 'grant' as const,
    amount: connects,
    source: 'purchase' as const,
    category: 'paid' as const,
    expiresAt: now + 365 * DAY,
  };
  value(await store.execute({ account, op, now }));
}

/** The same writes, at the same instants, on whichever context it is given. */
async function scenario(ctx: AppContext): Promise<void> {
  // Registered a month before TEST_START: the next monthly allotment falls due before the tick.
  for (const id of Object.values(ids)) {
    value(await registerFreelancer(ctx, { id, registeredAt: TEST_START - 25 * DAY }, TEST_START - 25 * DAY));
    await fund(ctx.store, id, 50, TEST_START);
  }
  // A job whose boost auction closes 7 days after posting, with two boosted bids.
  value(await postJob(ctx, { id: 'job-1', clientId: 'client-1', budgetCents: 75_000 }, TEST_START));
  for (const [n, id] of [ids.ada, ids.bo].entries()) {
    const input = { proposalId: `p-${id}`, jobId: 'job-1', freelancerId: id, bidCents: 70_000 };
    value(await submitProposal(ctx, { ...input, boostConnects: 5 + n }, TEST_START + n));
  }
  // A badge whose next Connect falls due well before the tick.
  const badge = { freelancerId: ids.cy, on: true, weeklyMaxConnects: 10 };
  value(await setAvailabilityBadge(ctx, badge, TEST_START));
}

async function ledger(store: LedgerStore) {
  const accounts = [];
  for (const id of Object.values(ids)) {
    const entries = value(await store.entries(id, { order: 'asc', limit: 500 })).entries;
    accounts.push({
      id,
      entries,
      lots: await store.lots(id),
      holds: await store.holds(id, { includeSettled: true }),
      balance: await store.balance(id, TICK_AT),
    });
  }
  const job = await store.query('SELECT auction_closed_at FROM jobs WHERE job_id = $1', ['job-1']);
  return { accounts, job: job.rows };
}

describe.each(testEngines)("the library's scheduler and the server's on $name", (engine) => {
  let api: TestApi;
  let opened: OpenedEngine;
  beforeAll(async () => {
    api = await openTestApi(engine);
    opened = await engine.open();
  });
  afterAll(async () => {
    await api.close();
    await opened.cleanup();
  });

  it('do the same work and write the same ledger', async () => {
    const library = createConnects({ store: opened.store });
    await scenario(library.ctx);
    await scenario(api.services.app);

    const run = await library.runScheduler({ now: TICK_AT });
    const clock = await api.call('/v1/admin/clock', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: toIso(TICK_AT) }),
    });
    expect(clock.status).toBe(200);
    const response = await api.call('/v1/admin/tick', { method: 'POST' });
    expect(response.status).toBe(200);
    const { seconds: _seconds, ...server } = (await response.json()) as Record<string, unknown>;

    // Every step ran, on both sides.
    expect(server).toMatchObject({ auctionsClosed: 1, badgesCharged: 1, complete: true });
    expect(server['cycles']).toBeGreaterThanOrEqual(3);
    const flat: Record<string, unknown> = {
      ...run.tick,
      now: toIso(run.now),
      expiringSoonNotices: run.expiringSoonNotices,
      pruned: run.pruned,
      complete: run.complete,
    };
    expect(Object.fromEntries(Object.keys(server).map((key) => [key, flat[key]]))).toEqual(server);
    expect(await ledger(opened.store)).toEqual(await ledger(api.services.store));
  });
});
