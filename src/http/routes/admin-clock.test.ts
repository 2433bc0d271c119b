import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { openTestApi, type TestApi } from '../testing/test-api.ts';

const pglite = testEngines.find((e) => e.name === 'pglite');
if (pglite === undefined) throw new Error('the pglite test engine is missing');

const setClock = (api: TestApi, now: string) =>
  api.call('/v1/admin/clock', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now }),
  });

describe('the manual clock', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi(pglite);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('reports its time and that it is manual', async () => {
    const response = await api.call('/v1/admin/clock');
    expect(await response.json()).toEqual({ now: '2024-03-10T12:00:00.000Z', manual: true });
  });

  it('moves forward, and the whole service sees the new time', async () => {
    const response = await setClock(api, '2024-04-01T00:00:00Z');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ now: '2024-04-01T00:00:00.000Z', manual: true });
    const health = (await (await api.call('/healthz')).json()) as { time: string };
    expect(health.time).toBe('2024-04-01T00:00:00.000Z');
  });

  it('accepts a date, an offset, and the current time again', async () => {
    expect((await setClock(api, '2024-04-02')).status).toBe(200);
    expect((await setClock(api, '2024-04-02T02:00:00+02:00')).status).toBe(200);
    expect(api.services.clock.now()).toBe(Date.UTC(2024, 3, 2));
  });

  it('refuses to go back with clock_backwards (409) and keeps its time', async () => {
    const response = await setClock(api, '2024-04-01T23:59:59.999Z');
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: 'clock_backwards',
        message: 'The clock is at 2024-04-02T00:00:00.000Z and cannot go back.',
        details: { now: '2024-04-02T00:00:00.000Z', requested: '2024-04-01T23:59:59.999Z' },
      },
    });
    expect(api.services.clock.now()).toBe(Date.UTC(2024, 3, 2));
  });
});

describe('the system clock', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi(pglite, { manualClock: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('cannot be set: manual_clock_disabled (409)', async () => {
    const response = await setClock(api, '2999-01-01T00:00:00Z');
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('manual_clock_disabled');
  });

  it('reports the real time and manual: false', async () => {
    const before = Date.now();
    const body = (await (await api.call('/v1/admin/clock')).json()) as { now: string; manual: boolean };
    expect(body.manual).toBe(false);
    expect(Date.parse(body.now)).toBeGreaterThanOrEqual(before);
  });
});
