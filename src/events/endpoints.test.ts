import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0 } from '../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../store/testing/test-engines.ts';
import type { LedgerStore } from '../store/store.ts';
import {
  MAX_ENDPOINTS,
  checkEndpointUrl,
  deleteEndpoint,
  endpointSecret,
  listEndpoints,
  registerEndpoint,
} from './endpoints.ts';

describe('checkEndpointUrl', () => {
  it('accepts http and https URLs and normalises them', () => {
    expect(checkEndpointUrl('https://hooks.example.com/connects?x=1')).toEqual({
      ok: true,
      value: 'https://hooks.example.com/connects?x=1',
    });
    expect(checkEndpointUrl('HTTP://127.0.0.1:8080', { allowInternalTargets: true })).toEqual({
      ok: true,
      value: 'http://127.0.0.1:8080/',
    });
  });

  it.each([
    ['', 'characters'],
    ['not a url', 'valid absolute URL'],
    ['/relative/path', 'valid absolute URL'],
    ['ftp://example.com/x', 'https'],
    ['javascript:alert(1)', 'https'],
    ['https://user:pw@example.com/', 'credentials'],
    ['https://example.com/#frag', 'fragment'],
    [`https://example.com/${'a'.repeat(2048)}`, 'characters'],
  ])('refuses %j', (url, message) => {
    const r = checkEndpointUrl(url);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('validation_failed');
      expect(r.error.message).toContain(message);
    }
  });
});

describe.each(testEngines)('webhook endpoints on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(() => opened.cleanup());

  it('registers an endpoint, shows the secret once, lists it without the secret', async () => {
    const r = await registerEndpoint(
      store,
      { url: 'https://hooks.example.com/a', events: ['connects.spent', 'balance.low', 'connects.spent'] },
      T0,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({
      url: 'https://hooks.example.com/a',
      events: ['balance.low', 'connects.spent'],
      createdAt: T0,
    });
    expect(r.value.id).toMatch(/^wh_[0-9a-f]{24}$/);
    expect(r.value.secret).toMatch(/^whsec_/);
    const listed = await listEndpoints(store);
    expect(listed).toContainEqual({
      id: r.value.id,
      url: 'https://hooks.example.com/a',
      events: ['balance.low', 'connects.spent'],
      createdAt: T0,
    });
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect(await endpointSecret(store, r.value.id)).toEqual({ ok: true, value: r.value.secret });
    expect(await deleteEndpoint(store, r.value.id, T0 + 1)).toEqual({ ok: true, value: undefined });
    expect((await listEndpoints(store)).map((e) => e.id)).not.toContain(r.value.id);
    expect(await endpointSecret(store, r.value.id)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('without events, subscribes to every type', async () => {
    const r = await registerEndpoint(store, { url: 'https://hooks.example.com/all' }, T0);
    expect(r).toMatchObject({ ok: true, value: { events: null } });
    if (r.ok) await deleteEndpoint(store, r.value.id, T0);
  });

  it('refuses unknown or empty event lists and bad URLs, writing nothing', async () => {
    const before = await listEndpoints(store);
    const unknown = await registerEndpoint(
      store,
      { url: 'https://x.example', events: ['connects.stolen'] },
      T0,
    );
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: { unknown: ['connects.stolen'] } },
    });
    expect((await registerEndpoint(store, { url: 'https://x.example', events: [] }, T0)).ok).toBe(false);
    expect((await registerEndpoint(store, { url: 'gopher://x.example' }, T0)).ok).toBe(false);
    expect(await listEndpoints(store)).toEqual(before);
  });

  it('refuses to delete an unknown endpoint', async () => {
    expect(await deleteEndpoint(store, 'wh_000000000000000000000000', T0)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it(`keeps at most ${MAX_ENDPOINTS} endpoints active`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < MAX_ENDPOINTS; i += 1) {
      const r = await registerEndpoint(store, { url: `https://hooks.example.com/${i}` }, T0);
      if (r.ok) ids.push(r.value.id);
    }
    expect(ids).toHaveLength(MAX_ENDPOINTS);
    const over = await registerEndpoint(store, { url: 'https://hooks.example.com/over' }, T0);
    expect(over).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await deleteEndpoint(store, ids[0] ?? '', T0);
    expect((await registerEndpoint(store, { url: 'https://hooks.example.com/again' }, T0)).ok).toBe(true);
  });
});
