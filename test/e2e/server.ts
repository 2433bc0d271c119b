import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import { webUi } from '../../src/http/web-ui.ts';

/**
 * The real server for browser tests: `node bin/connects.mjs serve --json`
 * with a fresh data folder, a known admin token, a manual clock and PORT=0.
 * If that server does not serve the UI at / (not wired yet), a small front
 * on another port serves web/dist with the same webUi handler and forwards
 * everything else to it untouched.
 */
export interface TestServer {
  /** Where the browser goes: the UI and the API on one origin. */
  readonly url: string;
  /** The API server itself. */
  readonly apiUrl: string;
  readonly adminToken: string;
  /** Admin API call; throws with the body on a non-2xx answer. */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  readonly logs: () => string;
  close(): Promise<void>;
}

const repo = new URL('../../', import.meta.url);
// Generous: the first start compiles the sources (tsx) and creates the embedded store.
const START_TIMEOUT_MS = 120_000;

export async function startTestServer(): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'connects-e2e-'));
  const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;
  const child = spawn(process.execPath, ['bin/connects.mjs', 'serve', '--json'], {
    cwd: repo,
    env: {
      ...process.env,
      PORT: '0',
      CONNECTS_DATA_DIR: dataDir,
      CONNECTS_ADMIN_TOKEN: adminToken,
      CONNECTS_MANUAL_CLOCK: '1',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const apiUrl = await readUrl(child, () => output).catch((error: unknown) => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });

  const servesUi = await fetch(`${apiUrl}/`, { headers: { Accept: 'text/html' } })
    .then(async (r) => r.ok && (await r.text()).includes('id="root"'))
    .catch(() => false);
  const front = servesUi ? undefined : await startFront(apiUrl);

  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };

  return {
    url: front?.url ?? apiUrl,
    apiUrl,
    adminToken,
    admin,
    logs: () => output,
    async close() {
      await front?.close();
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The serve command prints one JSON document with the URL on stdout once it listens. */
function readUrl(child: ChildProcess, logs: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`server did not start in time:\n${logs()}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        const { url } = JSON.parse(stdout) as { url?: unknown };
        if (typeof url === 'string') {
          clearTimeout(timer);
          resolve(url.replace('localhost', '127.0.0.1'));
        }
      } catch {
        // Not a whole JSON document yet.
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stdout}\n${logs()}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Serves the built UI and forwards every other request to the API server. */
async function startFront(apiUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = new Hono();
  app.get('*', webUi());
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    const headers = new Headers(c.req.raw.headers);
    headers.delete('host');
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? null : await c.req.arrayBuffer();
    const response = await fetch(`${apiUrl}${url.pathname}${url.search}`, {
      method: c.req.method,
      headers,
      body,
    });
    // fetch has already decoded the body, so its encoding and length headers no longer apply.
    const out = new Headers(response.headers);
    out.delete('content-encoding');
    out.delete('content-length');
    return new Response(response.body, { status: response.status, headers: out });
  });
  const listener = getRequestListener(app.fetch);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => void listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
