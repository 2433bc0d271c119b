import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.ts';

/**
 * The embedded folder as an operator meets it: `node bin/connects.mjs serve`
 * on a CONNECTS_DATA_DIR that does not exist yet, then a second server, a CLI
 * command and a library opener on the same folder (all refused, naming the
 * holder), then kill -9 and a new server that takes the stale lock over.
 */
const bin = fileURLToPath(new URL('../../../bin/connects.mjs', import.meta.url));

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  output(): string;
}

function baseEnv(dataDir: string): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', CONNECTS_DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'test' };
}

async function serve(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: baseEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!/Press Ctrl-C to stop\.|connects: /.test(out) && child.exitCode === null) {
    if (Date.now() - started > 90_000) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = /listening on (http:\S+)/.exec(out)?.[1];
  if (url === undefined) throw new Error(`serve did not start: ${out}`);
  return { child, url, exited, output: () => out };
}

function connects(dataDir: string, args: readonly string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: baseEnv(dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file and folder under `dir` with its permission bits. */
async function modes(dir: string): Promise<Map<string, number>> {
  const found = new Map<string, number>([[dir, (await stat(dir)).mode & 0o777]]);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    found.set(path, (await stat(path)).mode & 0o777);
  }
  return found;
}

describe('one process per embedded folder, owner-only files', { timeout: 300_000 }, () => {
  let root: string;
  let dataDir: string;
  let first: Server | undefined;
  let token: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'connects-folder-'));
    // Two levels that do not exist yet: serve creates them.
    dataDir = join(root, 'srv', 'connects');
    first = await serve(dataDir);
    token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  }, 120_000);
  afterAll(async () => {
    if (first?.child.exitCode === null) first.child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  const register = async (url: string, id: string): Promise<number> => {
    const response = await fetch(`${url}/v1/freelancers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });
    return response.status;
  };

  it('creates the folder with its parents, owner-only, and keeps every file owner-only after a write', async () => {
    const server = first as Server;
    expect(await register(server.url, 'ada')).toBe(201);
    const found = await modes(dataDir);
    expect(found.size).toBeGreaterThan(500);
    const open = [...found]
      .filter(([, mode]) => (mode & 0o077) !== 0)
      .map(([path, mode]) => [path, mode.toString(8)]);
    expect(open).toEqual([]);
    expect(found.get(join(dataDir, 'pglite'))).toBe(0o700);
    expect((await stat(join(root, 'srv'))).mode & 0o777).toBe(0o700);
  });

  it('refuses a second server, a CLI command and a library opener, naming the holder', async () => {
    const server = first as Server;
    const pid = server.child.pid as number;
    const holder = new RegExp(`in use by process ${pid} on ${hostname()} since \\d{4}-\\d\\d-\\d\\dT`);

    const second = await connects(dataDir, ['serve']);
    expect(second.code).toBe(4);
    expect(second.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(holder);

    const balance = await connects(dataDir, ['balance', 'ada']);
    expect(balance).toMatchObject({ code: 4, stdout: '' });
    expect(balance.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(balance.stderr).toMatch(/^connects: cannot open the store: the embedded store /);
    expect(balance.stderr).toMatch(holder);

    const json = await connects(dataDir, ['history', 'ada', '--json']);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'store_unavailable' } });

    await expect(openStore({ dataDir: join(dataDir, 'pglite') })).rejects.toThrow(holder);

    // The refused openers changed nothing: the server still serves its folder.
    expect(await register(server.url, 'bob')).toBe(201);
  });

  it('a command on a data folder that does not exist yet creates it, owner-only', async () => {
    const fresh = join(root, 'fresh', 'nested');
    const migrated = await connects(fresh, ['migrate', '--json']);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect((await stat(join(root, 'fresh'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(fresh, 'pglite'))).mode & 0o777).toBe(0o700);
    await expect(stat(join(fresh, 'pglite.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('after kill -9 a new server takes the stale lock over and finds every acknowledged write', async () => {
    const server = first as Server;
    const lockFile = `${join(dataDir, 'pglite')}.lock`;
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: server.child.pid });
    server.child.kill('SIGKILL');
    await server.exited;

    const next = await serve(dataDir);
    try {
      expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: next.child.pid });
      for (const id of ['ada', 'bob']) {
        const response = await fetch(`${next.url}/v1/freelancers/${id}/balance`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status).toBe(200);
      }
      next.child.kill('SIGTERM');
      expect(await next.exited).toBe(0);
      // A clean stop leaves no lock behind.
      await expect(stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      if (next.child.exitCode === null) next.child.kill('SIGKILL');
    }
  });
});
