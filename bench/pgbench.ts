import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * PostgreSQL's own pgbench, builtin TPC-B-like script, as the yardstick for
 * what this server does with one small transaction per operation:
 * `pgbench -i` into the given scratch database, then `-c clients -j 2 -T seconds`.
 */
export async function runPgbench(url: string, clients: number, seconds: number): Promise<number> {
  await run('pgbench', ['-i', '-q', url], { maxBuffer: 16 * 1024 * 1024 });
  const { stdout } = await run('pgbench', ['-c', String(clients), '-j', '2', '-T', String(seconds), url], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (match === null) throw new Error(`could not read pgbench output:\n${stdout}`);
  return Math.round(Number(match[1]));
}
