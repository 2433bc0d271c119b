import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../store/testing/test-databases.ts';
import { runCli } from '../run.ts';
import { fakeIo } from '../testing/fake-io.ts';
import { commands } from './index.ts';

const bin = fileURLToPath(new URL('../../../bin/connects.mjs', import.meta.url));

describe('connects serve on PostgreSQL, in process', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates, listens, answers, and stops on the stop signal', async () => {
    const env = {
      DATABASE_URL: db.url,
      CONNECTS_ADMIN_TOKEN: 'serve-test-token-1234',
      PORT: '0',
      NODE_ENV: 'test',
    };
    const io = fakeIo(env);
    const exit = runCli(['serve', '--json'], io, commands);
    await expect.poll(() => io.out.length, { timeout: 20_000 }).toBe(1);
    const started = JSON.parse(io.out.join('')) as {
      url: string;
      docsUrl: string;
      adminToken: string | null;
    };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.docsUrl).toBe(`${started.url}/docs`);
    // An operator-supplied token is never echoed.
    expect(started.adminToken).toBeNull();
    expect(JSON.stringify(started)).not.toContain('serve-test-token');
    const health = await fetch(`${started.url}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'postgres', manualClock: false });
    io.stop('SIGTERM');
    expect(await exit).toBe(0);
    expect(io.err.join('')).toContain('Received SIGTERM');
    await expect(fetch(`${started.url}/healthz`)).rejects.toThrow();
  });

  it('a taken port is a clear start-up error (exit 2)', async () => {
    const first = fakeIo({ DATABASE_URL: db.url, CONNECTS_ADMIN_TOKEN: 'serve-test-token-1234', PORT: '0' });
    const running = runCli(['serve', '--json'], first, commands);
    await expect.poll(() => first.out.length, { timeout: 20_000 }).toBe(1);
    const { url } = JSON.parse(first.out.join('')) as { url: string };
    const port = new URL(url).port;
    const second = fakeIo({
      DATABASE_URL: db.url,
      CONNECTS_ADMIN_TOKEN: 'serve-test-token-1234',
      PORT: port,
    });
    expect(await runCli(['serve'], second, commands)).toBe(2);
    expect(second.err.join('')).toContain(`port ${port} on 127.0.0.1 is already in use`);
    first.stop();
    expect(await running).toBe(0);
  });
});

describe('npm start on a fresh data folder (the embedded default), as a real process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connects-serve-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates and prints the admin token, serves the API, and shuts down on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: {
        PATH: process.env['PATH'],
        CONNECTS_DATA_DIR: join(dir, 'data'),
        PORT: '0',
        NODE_ENV: 'development',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => out, { timeout: 60_000, interval: 200 }).toContain('Press Ctrl-C to stop.');
      const url = /listening on (http:\S+)/.exec(out)?.[1] as string;
      const token = (await readFile(join(dir, 'data', 'admin-token'), 'utf8')).trim();
      expect(out).toContain(
        `Admin token:  ${token}  (generated, saved in ${join(dir, 'data', 'admin-token')})`,
      );
      expect(out).toContain(`API docs:     ${url}/docs`);
      const policy = await fetch(`${url}/v1/policy`, { headers: { authorization: `Bearer ${token}` } });
      expect(policy.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).toContain('Stopped.');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
