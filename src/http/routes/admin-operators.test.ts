import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { testEngines } from '../../store/testing/test-engines.ts';
import { buildApp } from '../app.ts';
import { createServices } from '../create-services.ts';
import { memoryLogger } from '../logger.ts';
import { openTestApi, TEST_ADMIN_TOKEN, TEST_START, testConfig, type TestApi } from '../testing/test-api.ts';

interface Issued {
  id: string;
  role: string;
  key: string;
  keyId: string;
  expiresAt: string | null;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

describe.each(testEngines)('operators on $name', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi(engine);
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = async (id: string, role: string, extra: Record<string, unknown> = {}) =>
    api.call('/v1/admin/operators', json({ id, role, ...extra }));
  const session = (key: string) => api.call('/v1/session', { token: key });

  it('creates an operator with a key shown once, and the key signs in with its role', async () => {
    const response = await create('sam', 'support');
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const issued = (await response.json()) as Issued;
    expect(issued).toMatchObject({ id: 'sam', role: 'support', expiresAt: null });
    expect(issued.key).toMatch(/^cop_[A-Za-z0-9_-]{43}$/);
    expect(await (await session(issued.key)).json()).toEqual({
      kind: 'operator',
      operatorId: 'sam',
      role: 'support',
      keyId: issued.keyId,
    });
    const list = (await (await api.call('/v1/admin/operators')).json()) as {
      operators: { id: string; createdBy: string; keys: Record<string, unknown>[] }[];
    };
    const sam = list.operators.find((o) => o.id === 'sam');
    expect(sam?.createdBy).toBe('admin');
    expect(sam?.keys).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(issued.key);
    expect(sam?.keys[0]).toMatchObject({ keyId: issued.keyId, active: true, revokedAt: null });
  });

  it('the bootstrap token is an owner', async () => {
    expect(await (await api.call('/v1/session')).json()).toEqual({
      kind: 'admin',
      role: 'owner',
      actor: 'admin',
    });
  });

  it('refuses an existing id, an unknown role, a bad id and a past expiry, writing nothing', async () => {
    expect((await create('dup', 'finance')).status).toBe(201);
    const again = await create('dup', 'owner');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('operator_exists');
    const badRole = await create('x1', 'janitor');
    expect(badRole.status).toBe(400);
    const body = (await badRole.json()) as {
      error: { code: string; details: { issues: { path: string }[] } };
    };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues[0]?.path).toBe('role');
    expect((await create('admin', 'owner')).status).toBe(400);
    expect((await create('a b', 'owner')).status).toBe(400);
    expect((await create('x2', 'owner', { expiresAt: '2020-01-01T00:00:00Z' })).status).toBe(400);
    const list = (await (await api.call('/v1/admin/operators')).json()) as { operators: { id: string }[] };
    expect(list.operators.map((o) => o.id)).not.toContain('x1');
    expect(list.operators.map((o) => o.id)).not.toContain('x2');
  });

  it('rotates: a second key works, the revoked one is refused on the next request', async () => {
    const first = (await (await create('rot', 'finance')).json()) as Issued;
    const second = await api.call('/v1/admin/operators/rot/keys', { method: 'POST' });
    expect(second.status).toBe(201);
    const next = (await second.json()) as Issued;
    expect(next.role).toBe('finance');
    expect((await session(next.key)).status).toBe(200);
    const revoked = await api.call(`/v1/admin/operators/rot/keys/${first.keyId}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { active: boolean }).active).toBe(false);
    expect((await session(first.key)).status).toBe(401);
    expect((await session(next.key)).status).toBe(200);
    expect((await api.call('/v1/admin/operators/rot/keys/key_none', { method: 'DELETE' })).status).toBe(404);
    expect((await api.call('/v1/admin/operators/nobody/keys', { method: 'POST' })).status).toBe(404);
  });

  it('an expired key is refused like an unknown one', async () => {
    const issued = (await (
      await create('exp', 'marketplace', { expiresAt: new Date(TEST_START + 60_000).toISOString() })
    ).json()) as Issued;
    expect((await session(issued.key)).status).toBe(200);
    const clock = api.services.clock as ManualClock;
    clock.set(TEST_START + 60_000);
    expect((await session(issued.key)).status).toBe(401);
  });

  it('only owners manage operators', async () => {
    const support = (await (await create('sup2', 'support')).json()) as Issued;
    const owner = (await (await create('own2', 'owner')).json()) as Issued;
    expect((await api.call('/v1/admin/operators', { token: support.key })).status).toBe(403);
    const made = await api.call('/v1/admin/operators', {
      ...json({ id: 'by-owner', role: 'finance' }),
      token: owner.key,
    });
    expect(made.status).toBe(201);
    const list = (await (await api.call('/v1/admin/operators')).json()) as {
      operators: { id: string; createdBy: string }[];
    };
    expect(list.operators.find((o) => o.id === 'by-owner')?.createdBy).toBe('own2');
  });

  it('audits each operator change once, in its own transaction, and a refused one after it', async () => {
    const made = await api.call('/v1/admin/operators', {
      ...json({ id: 'aud', role: 'finance' }),
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-aud-1' },
    });
    expect(made.status).toBe(201);
    const issued = (await made.json()) as Issued;
    const twice = await api.call('/v1/admin/operators', {
      ...json({ id: 'aud', role: 'finance' }),
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-aud-2' },
    });
    expect(twice.status).toBe(409);
    const revoked = await api.call(`/v1/admin/operators/aud/keys/${issued.keyId}`, {
      method: 'DELETE',
      headers: { 'x-request-id': 'req-aud-3' },
    });
    expect(revoked.status).toBe(200);
    const rows = await api.services.store.query<{
      request_id: string;
      route: string;
      status: number;
      error_code: string | null;
    }>(
      "SELECT request_id, route, status, error_code FROM audit_log WHERE request_id LIKE 'req-aud-%' ORDER BY audit_id",
    );
    expect(rows.rows.map((r) => [r.request_id, r.route, Number(r.status), r.error_code])).toEqual([
      ['req-aud-1', '/v1/admin/operators', 201, null],
      ['req-aud-2', '/v1/admin/operators', 409, 'operator_exists'],
      ['req-aud-3', '/v1/admin/operators/:id/keys/:keyId', 200, null],
    ]);
  });

  it.runIf(engine.name === 'postgres')(
    'a revocation holds on the next request through another server process on the same database',
    async () => {
      const issued = (await (await create('multi', 'support')).json()) as Issued;
      // A second app on its own connection pool to the same database: what another process sees.
      const otherStore = await api.opened.another();
      const other = buildApp(
        createServices({
          config: testConfig(true),
          store: otherStore,
          clock: new ManualClock(TEST_START),
          logger: memoryLogger(),
          adminToken: TEST_ADMIN_TOKEN,
        }),
      );
      const ask = () => other.request('/v1/session', { headers: { authorization: `Bearer ${issued.key}` } });
      expect((await ask()).status).toBe(200);
      const revoked = await api.call(`/v1/admin/operators/multi/keys/${issued.keyId}`, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      expect((await ask()).status).toBe(401);
    },
  );
});
