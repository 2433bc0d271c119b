import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { apiError, openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

const pglite = testEngines.find((e) => e.name === 'pglite');
if (pglite === undefined) throw new Error('the pglite test engine is missing');

describe('GET /v1/session', () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(pglite);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('names the admin', async () => {
    expect(await h.admin.get('/v1/session')).toEqual({ kind: 'admin', role: 'owner', actor: 'admin' });
  });

  it("names a freelancer token's freelancer", async () => {
    await h.register('fl_session');
    const ada = await h.as('fl_session');
    expect(await ada.get('/v1/session')).toEqual({ kind: 'freelancer', freelancerId: 'fl_session' });
  });

  it('answers 401 for an unknown, a revoked or a missing token', async () => {
    expect((await apiError(h.admin.withToken('cfl_nope').get('/v1/session'))).status).toBe(401);
    await h.register('fl_revoked');
    const { token, tokenId } = await h.admin.post('/v1/freelancers/{id}/tokens', {
      path: { id: 'fl_revoked' },
    });
    await h.admin.delete('/v1/freelancers/{id}/tokens/{tokenId}', { path: { id: 'fl_revoked', tokenId } });
    const revoked = await apiError(h.admin.withToken(token).get('/v1/session'));
    expect(revoked.code).toBe('unauthorized');
    expect((await rawRequest(h, 'GET', '/v1/session', { token: null })).status).toBe(401);
  });
});
