import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, PG_BIN, type PrivatePostgres } from './private-postgres.ts';

/**
 * A streaming replica of a private primary: `pg_basebackup -R` (which writes
 * standby.signal and primary_conninfo) into a temp folder of its own, started
 * on its own port and socket folder. initdb's trust rules already admit
 * replication connections from 127.0.0.1, and PostgreSQL 15 defaults to
 * wal_level=replica with WAL senders to spare.
 */
export interface PrivateReplica {
  readonly url: string;
  /** pg_ctl stop -m immediate: the replica crashes. */
  crash(): void;
  destroy(): void;
}

function asPostgres(program: string, args: readonly string[]): void {
  const path = join(PG_BIN, program);
  const [file, argv] =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, [...args]];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function createPrivateReplica(primary: PrivatePostgres): Promise<PrivateReplica> {
  const dir = mkdtempSync(join(tmpdir(), 'connects-faults-replica-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const data = join(dir, 'data');
  let destroyed = false;
  const stop = () => {
    try {
      asPostgres('pg_ctl', ['-D', data, 'stop', '-m', 'immediate', '-w']);
    } catch {
      // Not running.
    }
  };
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroy);
    stop();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', destroy);
  try {
    asPostgres(
      'pg_basebackup',
      ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'].concat([
        '-D',
        data,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
      ]),
    );
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
    asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  } catch (error) {
    destroy();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, crash: stop, destroy };
}
