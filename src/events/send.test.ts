import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from './send.ts';

describe('postWebhook', () => {
  let base = '';
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on('end', () => {
      if (req.url === '/ok') res.writeHead(200).end('a body nobody reads');
      else if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/huge') res.writeHead(500).end('x'.repeat(5_000_000));
      else res.writeHead(404).end('no such hook');
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts only a 2xx as delivered', async () => {
    expect(await postWebhook(`${base}/ok`, {}, '{}')).toEqual({ delivered: true, status: 200, error: null });
    expect(await postWebhook(`${base}/gone`, {}, '{}')).toEqual({
      delivered: false,
      status: 404,
      error: 'HTTP 404: no such hook',
    });
  });

  it('does not follow redirects', async () => {
    hits = 0;
    expect(await postWebhook(`${base}/moved`, {}, '{}')).toMatchObject({ delivered: false, status: 302 });
    expect(hits).toBe(1);
  });

  it('keeps only the start of a large error body', async () => {
    const outcome = await postWebhook(`${base}/huge`, {}, '{}');
    expect(outcome.status).toBe(500);
    expect(outcome.error).toBe(`HTTP 500: ${'x'.repeat(300)}...`);
  });

  it('reports a refused connection without a status', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await postWebhook(`http://127.0.0.1:${port}/`, {}, '{}');
    expect(outcome).toMatchObject({ delivered: false, status: null });
    expect(outcome.error).toContain('ECONNREFUSED');
  });
});
