import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCards } from '../../src/app/payments/test-provider.ts';
import { openTestApi, TEST_ADMIN_TOKEN, type TestApi } from '../../src/http/testing/test-api.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';

/**
 * Support limits, the actor stamped on what operators write, and the audit
 * trail, through the API on both engines (docs/operators.md).
 */

interface AuditRow {
  actor: string;
  actorRole: string;
  requestId: string;
  method: string;
  route: string;
  freelancerId: string | null;
  status: number;
  errorCode: string | null;
  entries: { account: string; seq: number }[];
}

const post = (body: unknown, token: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
  token,
});

describe.each(testEngines)('operators at work on $name', (engine) => {
  let api: TestApi;
  const keys: Record<string, string> = {};

  const operator = async (id: string, role: string): Promise<string> => {
    const response = await api.call('/v1/admin/operators', {
      method: 'POST',
      body: JSON.stringify({ id, role }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { key: string }).key;
  };
  const register = async (id: string) => {
    const response = await api.call('/v1/freelancers', {
      method: 'POST',
      body: JSON.stringify({ id }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(201);
  };
  const balance = async (id: string) =>
    ((await (await api.call(`/v1/freelancers/${id}/balance`)).json()) as { balance: number }).balance;
  const entryCount = async (id: string) =>
    Number(
      (
        await api.services.store.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM entries WHERE account = $1',
          [id],
        )
      ).rows[0]?.n,
    );
  const grant = (
    token: string,
    freelancerId: string,
    connects: number,
    headers: Record<string, string> = {},
  ) =>
    api.call('/v1/admin/grants', post({ freelancerId, connects, reason: 'support ticket' }, token, headers));
  const audit = async (query: string, token?: string) => {
    const response = await api.call(`/v1/admin/audit?${query}`, token === undefined ? {} : { token });
    return {
      status: response.status,
      body: (await response.json()) as { rows: AuditRow[]; nextCursor: string | null },
    };
  };

  beforeAll(async () => {
    api = await openTestApi(engine);
    keys['support'] = await operator('sue', 'support');
    keys['finance'] = await operator('fin', 'finance');
    keys['marketplace'] = await operator('mkt', 'marketplace');
    keys['busy'] = await operator('busy', 'support');
    keys['race'] = await operator('race', 'support');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a support grant within the limits is written with its actor and audited with its entry', async () => {
    await register('ada');
    const before = await balance('ada');
    const response = await grant(keys['support'] as string, 'ada', 25, { 'x-request-id': 'req-grant-1' });
    expect(response.status).toBe(201);
    expect(await balance('ada')).toBe(before + 25);
    const entry = (await response.json()) as { entry: { seq: number } };
    const stamped = await api.services.store.query<{ actor: string | null; actor_role: string | null }>(
      'SELECT actor, actor_role FROM entries WHERE account = $1 AND seq = $2',
      ['ada', entry.entry.seq],
    );
    expect(stamped.rows[0]).toEqual({ actor: 'sue', actor_role: 'support' });
    // The registration by the bootstrap token is stamped admin/owner.
    const first = await api.services.store.query<{ actor: string | null }>(
      'SELECT actor FROM entries WHERE account = $1 AND seq = 1',
      ['ada'],
    );
    expect(first.rows[0]?.actor).toBe('admin');
    const history = (await (await api.call('/v1/freelancers/ada/entries')).json()) as {
      entries: { seq: number; actor: { id: string; role: string } | null }[];
    };
    expect(history.entries.find((e) => e.seq === entry.entry.seq)?.actor).toEqual({
      id: 'sue',
      role: 'support',
    });
    const { body } = await audit('actor=sue&freelancerId=ada');
    const row = body.rows.find((r) => r.requestId === 'req-grant-1');
    expect(row).toMatchObject({
      actor: 'sue',
      actorRole: 'support',
      method: 'POST',
      route: '/v1/admin/grants',
      freelancerId: 'ada',
      status: 201,
      errorCode: null,
      entries: [{ account: 'ada', seq: entry.entry.seq }],
    });
  });

  it('a support grant or removal above the per-action limit is 403 limit_exceeded with nothing written', async () => {
    await register('bob');
    const before = await balance('bob');
    const entries = await entryCount('bob');
    for (const connects of [201, -201]) {
      const response = await grant(keys['support'] as string, 'bob', connects);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('limit_exceeded');
    }
    expect(await balance('bob')).toBe(before);
    expect(await entryCount('bob')).toBe(entries);
    const { body } = await audit('actor=sue&freelancerId=bob');
    expect(body.rows.map((r) => [r.status, r.errorCode, r.entries.length])).toEqual([
      [403, 'limit_exceeded', 0],
      [403, 'limit_exceeded', 0],
    ]);
    // An owner is not limited.
    expect((await grant(TEST_ADMIN_TOKEN, 'bob', 500)).status).toBe(201);
  });

  it('the daily limit counts grants and removals in absolute Connects, and a refused one is given back', async () => {
    await register('cat');
    const token = keys['busy'] as string;
    for (const connects of [200, 200, -200, 200])
      expect((await grant(token, 'cat', connects)).status).toBe(201);
    // A write the use case refuses (no such freelancer) gives its reservation back.
    expect((await grant(token, 'nobody', 200)).status).toBe(404);
    expect((await grant(token, 'cat', 200)).status).toBe(201);
    const before = await balance('cat');
    const entries = await entryCount('cat');
    const over = await grant(token, 'cat', 1);
    expect(over.status).toBe(403);
    const error = ((await over.json()) as { error: { code: string; details: Record<string, unknown> } })
      .error;
    expect(error.code).toBe('limit_exceeded');
    expect(error.details).toMatchObject({ dailyLimit: 1000, usedToday: 1000 });
    expect(await balance('cat')).toBe(before);
    expect(await entryCount('cat')).toBe(entries);
  });

  it('parallel support grants cannot pass the daily limit together', async () => {
    await register('dan');
    const token = keys['race'] as string;
    const answers = await Promise.all(Array.from({ length: 8 }, () => grant(token, 'dan', 200)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 201, 403, 403, 403]);
    const granted = await api.services.store.query<{ n: number }>(
      "SELECT coalesce(sum(amount), 0)::int AS n FROM entries WHERE account = 'dan' AND actor = 'race'",
    );
    expect(Number(granted.rows[0]?.n)).toBe(1000);
  });

  it('a role that may not write is refused with 403 forbidden, and the attempt is audited', async () => {
    await register('eve');
    const response = await grant(keys['finance'] as string, 'eve', 5, { 'x-request-id': 'req-finance-try' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const { body } = await audit('actor=fin');
    expect(body.rows.find((r) => r.requestId === 'req-finance-try')).toMatchObject({
      actorRole: 'finance',
      status: 403,
      errorCode: 'forbidden',
    });
  });

  it('the marketplace key posts jobs and registers freelancers; the rows carry it', async () => {
    const token = keys['marketplace'] as string;
    const job = await api.call(
      '/v1/jobs',
      post({ id: 'job-mkt', clientId: 'client-1', budgetCents: 60_000 }, token),
    );
    expect(job.status).toBe(201);
    const row = await api.services.store.query<{ created_by: string; created_by_role: string }>(
      "SELECT created_by, created_by_role FROM jobs WHERE job_id = 'job-mkt'",
    );
    expect(row.rows[0]).toEqual({ created_by: 'mkt', created_by_role: 'marketplace' });
    expect((await api.call('/v1/freelancers', post({ id: 'fay' }, token))).status).toBe(201);
    const proposal = await api.call(
      '/v1/jobs/job-mkt/proposals',
      post({ proposalId: 'p-mkt', freelancerId: 'fay', bidCents: 50_000 }, token),
    );
    expect(proposal.status).toBe(201);
    const debit = await api.services.store.query<{ actor: string }>(
      "SELECT actor FROM entries WHERE account = 'fay' AND type = 'debit'",
    );
    expect(debit.rows.map((r) => r.actor)).toEqual(['mkt']);
    // The domain rows the marketplace key created name it too (migration 075).
    const creators = await api.services.store.query<{
      t: string;
      created_by: string;
      created_by_role: string;
    }>(
      "SELECT 'freelancer' AS t, created_by, created_by_role FROM freelancers WHERE id = 'fay' " +
        "UNION ALL SELECT 'proposal', created_by, created_by_role FROM proposals WHERE proposal_id = 'p-mkt'",
    );
    expect(creators.rows).toEqual([
      { t: 'freelancer', created_by: 'mkt', created_by_role: 'marketplace' },
      { t: 'proposal', created_by: 'mkt', created_by_role: 'marketplace' },
    ]);
    // A freelancer's own write carries no actor.
    const own = await api.freelancerToken('fay');
    const bought = await api.call(
      '/v1/freelancers/fay/purchases',
      post({ purchaseId: 'pur-fay', connects: 10, card: testCards.succeeds }, own),
    );
    expect(bought.status).toBe(201);
    const paid = await api.services.store.query<{ actor: string | null }>(
      "SELECT actor FROM entries WHERE account = 'fay' ORDER BY seq DESC LIMIT 1",
    );
    expect(paid.rows.map((r) => r.actor)).toEqual([null]);
    const purchase = await api.services.store.query<{ created_by: string | null }>(
      "SELECT created_by FROM purchases WHERE purchase_id = 'pur-fay'",
    );
    expect(purchase.rows).toEqual([{ created_by: null }]);
    expect(
      (await api.call('/v1/admin/grants', post({ freelancerId: 'fay', connects: 1, reason: 'x' }, token)))
        .status,
    ).toBe(403);
  });

  it('concurrent proposals of two operators and freelancers each carry their own actor and audit entries', async () => {
    const mkt = keys['marketplace'] as string;
    expect(
      (await api.call('/v1/jobs', post({ id: 'job-mix', clientId: 'client-1', budgetCents: 60_000 }, mkt)))
        .status,
    ).toBe(201);
    const ids = Array.from({ length: 12 }, (_, n) => `mix-${n}`);
    for (const id of ids) await register(id);
    const tokens = await Promise.all(ids.map((id) => api.freelancerToken(id)));
    // Sent together: the marketplace key, the bootstrap admin token and each freelancer's own, in turn.
    const senders = ids.map((_, n) => [mkt, TEST_ADMIN_TOKEN, tokens[n] as string][n % 3] as string);
    const actors = ids.map((_, n) => ['mkt', 'admin', null][n % 3] ?? null);
    const answers = await Promise.all(
      ids.map((id, n) =>
        api.call(
          '/v1/jobs/job-mix/proposals',
          post({ proposalId: `p-${id}`, freelancerId: id, bidCents: 50_000 }, senders[n] as string, {
            'x-request-id': `req-${id}`,
          }),
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 201));
    const debits = await api.services.store.query<{ account: string; seq: number; actor: string | null }>(
      "SELECT account, seq, actor FROM entries WHERE account LIKE 'mix-%' AND type = 'debit'",
    );
    const debitOf = new Map(debits.rows.map((d) => [d.account, d]));
    expect(ids.map((id) => debitOf.get(id)?.actor ?? null)).toEqual(actors);
    const rows = (await audit('limit=500')).body.rows;
    const rowOf = new Map(rows.map((r) => [r.requestId, r]));
    ids.forEach((id, n) => {
      const row = rowOf.get(`req-${id}`);
      if (actors[n] === null) {
        expect(row).toBeUndefined();
        return;
      }
      expect(row).toMatchObject({ actor: actors[n], status: 201, freelancerId: id });
      expect(row?.entries).toEqual([{ account: id, seq: debitOf.get(id)?.seq }]);
    });
  });

  it('pages through the audit trail newest first with a stable cursor, for owners and finance only', async () => {
    const all = await audit('limit=500');
    expect(all.status).toBe(200);
    const pages: AuditRow[] = [];
    let cursor: string | null = null;
    do {
      const page = await audit(`limit=3${cursor === null ? '' : `&cursor=${cursor}`}`, keys['finance']);
      expect(page.status).toBe(200);
      pages.push(...page.body.rows);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(pages.map((r) => r.requestId)).toEqual(all.body.rows.map((r) => r.requestId));
    expect((await audit('', keys['support'])).status).toBe(403);
    expect((await audit('', keys['marketplace'])).status).toBe(403);
    for (const bad of ['since=yesterday', 'cursor=bm9wZQ', 'limit=0', 'limit=501', 'actor=a%20b', 'nope=1']) {
      expect((await audit(bad)).status, bad).toBe(400);
    }
    const none = await audit('since=2100-01-01T00:00:00Z');
    expect(none.body.rows).toEqual([]);
  });
});
