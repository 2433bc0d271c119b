import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../faults/private-postgres.ts';

/**
 * A PgBouncer of the test's own: its ini in a temp folder, its own port on
 * 127.0.0.1, trust authentication, in front of one PostgreSQL server. Every
 * database name a client asks for is passed through to the same name on that
 * server, so the throwaway test databases work through it unchanged.
 */
export const PGBOUNCER_BIN = process.env['CONNECTS_PGBOUNCER_BIN'] ?? '/usr/sbin/pgbouncer';

export interface PgBouncer {
  readonly port: number;
  readonly dir: string;
  /** The same URL with host and port swapped for the pooler's. */
  via(url: string): string;
  /** Its log so far (connection errors, refused startup parameters). */
  log(): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** The PostgreSQL server behind it; default 127.0.0.1:5432. */
  readonly upstreamHost?: string;
  readonly upstreamPort?: number;
  readonly poolMode?: 'transaction' | 'session';
  /** Server connections per database and user (default 8: small, so clients share them). */
  readonly poolSize?: number;
  /** Startup parameters accepted and dropped instead of refused (PgBouncer's ignore_startup_parameters). */
  readonly ignoreStartupParameters?: readonly string[];
}

const START_TIMEOUT_MS = 10_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function pgBouncerInstalled(): boolean {
  return existsSync(PGBOUNCER_BIN);
}

export async function startPgBouncer(options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const dir = mkdtempSync(join(tmpdir(), 'connects-pgbouncer-'));
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const logFile = join(dir, 'pgbouncer.log');
  writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${options.upstreamHost ?? '127.0.0.1'} port=${options.upstreamPort ?? 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 8}`,
      'max_client_conn = 1000',
      `ignore_startup_parameters = ${(options.ignoreStartupParameters ?? []).join(', ')}`,
      // Test databases come and go: idle server connections to them must not pile up on a shared server.
      'server_idle_timeout = 5',
      'server_lifetime = 300',
      `logfile = ${logFile}`,
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: as the postgres user, exec'd directly so the child is PgBouncer itself.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
  const [file, argv] = asRoot
    ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', PGBOUNCER_BIN, ini]]
    : [PGBOUNCER_BIN, [ini]];
  const child: ChildProcess = spawn(file, argv, { stdio: 'ignore' });
  const orphan = () => child.kill('SIGKILL');
  // Even if the runner goes down before its teardown, PgBouncer and its folder go with it.
  process.once('exit', orphan);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', orphan);
    if (child.exitCode === null && child.signalCode === null) {
      // SIGINT: PgBouncer's immediate shutdown (closes every connection at once).
      child.kill('SIGINT');
      const late = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(late);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await accepting(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const text = log();
      await stop();
      throw new Error(`pgbouncer did not start:\n${text}`);
    }
    await pause(50);
  }
  return {
    port,
    dir,
    via(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    log,
    stop,
  };
}
