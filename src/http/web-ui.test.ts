import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webUi } from './web-ui.ts';

let dir: string;
let app: Hono;
const html = { Accept: 'text/html,application/xhtml+xml' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'connects-web-'));
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>Connects</title>');
  writeFileSync(join(dir, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'dist', 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dir, 'dist', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the dist folder');
  app = new Hono();
  app.get('/v1/known', (c) => c.json({ ok: true }));
  app.get('*', webUi({ distDir: join(dir, 'dist') }));
  app.notFound((c) => c.json({ error: { code: 'not_found' } }, 404));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('webUi', () => {
  it('serves index.html at / with a strict CSP and revalidation', async () => {
    const res = await app.request('/', { headers: html });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Connects</title>');
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const js = await app.request('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await app.request('/assets/index-abc123.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const svg = await app.request('/favicon.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for client-side routes', async () => {
    for (const path of ['/history', '/jobs/j-1', '/admin/freelancers/fl_ada']) {
      const res = await app.request(path, { headers: html });
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<title>Connects</title>');
    }
  });

  it('never answers API paths, missing files or non-HTML requests with index.html', async () => {
    expect(await (await app.request('/v1/known')).json()).toEqual({ ok: true });
    for (const path of [
      '/v1/unknown',
      '/v1/jobs/x',
      '/healthz',
      '/livez/x',
      '/readyz/x',
      '/docs',
      '/openapi.json',
      '/assets/missing.js',
      '//v1/known',
      '//v1/unknown',
      '/%2Fv1/unknown',
      '//history',
    ]) {
      const res = await app.request(path, { headers: html });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found' } });
    }
    const json = await app.request('/history', { headers: { Accept: 'application/json' } });
    expect(json.status).toBe(404);
  });

  it('answers only GET and HEAD', async () => {
    const post = await app.request('/', { method: 'POST', headers: html });
    expect(post.status).toBe(404);
    const head = await app.request('/assets/index-abc123.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('console.log(1)'.length));
    expect(await head.text()).toBe('');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.request('/', { headers: html });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await app.request('/', { headers: { ...html, 'If-None-Match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('never serves a file outside the dist folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
    ]) {
      const res = await app.request(`http://localhost${path}`, { headers: html });
      expect(await res.text(), path).not.toContain('outside the dist folder');
    }
    const nul = await app.request('/index.html%00.js');
    expect(nul.status).toBe(404);
  });

  it('picks up a rebuilt file', async () => {
    const file = join(dir, 'dist', 'favicon.svg');
    await app.request('/favicon.svg');
    writeFileSync(file, '<svg id="new" xmlns="http://www.w3.org/2000/svg"/>');
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    expect(await (await app.request('/favicon.svg')).text()).toContain('id="new"');
  });

  it('explains when the UI is not built', async () => {
    const bare = new Hono();
    bare.get('*', webUi({ distDir: join(dir, 'nowhere') }));
    const res = await bare.request('/', { headers: html });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:web');
  });
});
