import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL instance of the test's own: initdb into a temp folder (owned
 * by the postgres user, as initdb refuses to run as root), its own port and
 * its own socket folder, so stopping or freezing it never touches the shared
 * server on 5432.
 */
export const PG_BIN = process.env['CONNECTS_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  readonly dir: string;
  readonly port: number;
  readonly url: string;
  start(): void;
  /** pg_ctl stop -m immediate (a crash) or -m fast (rolls back and disconnects everyone). */
  stop(mode: 'immediate' | 'fast'): void;
  /** The postmaster's pid (changes after every start). */
  postmasterPid(): number;
  /** SIGSTOP (true) or SIGCONT (false) to the postmaster and every backend: a hung database. */
  freeze(frozen: boolean): void;
  destroy(): void;
}

/** Runs a PostgreSQL program as the postgres user (initdb and pg_ctl refuse root). */
function asPostgres(program: string, args: readonly string[]): string {
  const path = join(PG_BIN, program);
  const [file, argv] =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, [...args]];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Direct children of a process, from /proc (the backends and workers of a postmaster). */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) pids.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'connects-faults-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const data = join(dir, 'data');
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroy);
    try {
      asPostgres('pg_ctl', ['-D', data, 'stop', '-m', 'immediate', '-w']);
    } catch {
      // Not running.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Even if the test runner goes down before afterAll, the instance and its folder go with it.
  process.once('exit', destroy);
  try {
    asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  } catch (error) {
    destroy();
    throw error;
  }
  const pg: PrivatePostgres = {
    dir,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start() {
      // fsync stays on: the suite checks that acknowledged writes survive a crash of the database.
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
      asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
    },
    stop(mode) {
      asPostgres('pg_ctl', ['-D', data, 'stop', '-m', mode, '-w', '-t', '30']);
    },
    postmasterPid() {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    },
    freeze(frozen) {
      const postmaster = pg.postmasterPid();
      const children = childrenOf(postmaster);
      for (const pid of [postmaster, ...children]) {
        try {
          process.kill(pid, frozen ? 'SIGSTOP' : 'SIGCONT');
        } catch {
          // Gone meanwhile.
        }
      }
    },
    destroy,
  };
  try {
    pg.start();
  } catch (error) {
    destroy();
    throw error;
  }
  return pg;
}
