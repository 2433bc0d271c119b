import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgbenchRun<C> {
  readonly tps: number;
  readonly transactions: number;
  /** The caller's counters just before and just after the timed run (not the `pgbench -i` set-up). */
  readonly cpuBefore: C;
  readonly cpuAfter: C;
}

/**
 * PostgreSQL's own pgbench, builtin TPC-B-like script, as the yardstick for
 * what this server does with one small transaction per operation:
 * `pgbench -i` into the given scratch database, then `-c clients -j 2 -T seconds`.
 */
export async function runPgbench<C>(
  url: string,
  clients: number,
  seconds: number,
  counters: () => Promise<C>,
): Promise<PgbenchRun<C>> {
  await run('pgbench', ['-i', '-q', url], { maxBuffer: 16 * 1024 * 1024 });
  const cpuBefore = await counters();
  const { stdout } = await run('pgbench', ['-c', String(clients), '-j', '2', '-T', String(seconds), url], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const cpuAfter = await counters();
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  const done = /number of transactions actually processed: (\d+)/.exec(stdout);
  if (tps === null || done === null) throw new Error(`could not read pgbench output:\n${stdout}`);
  return { tps: Math.round(Number(tps[1])), transactions: Number(done[1]), cpuBefore, cpuAfter };
}
