import { readdir, readFile } from 'node:fs/promises';

/**
 * CPU counters from /proc (Linux; 0 elsewhere), in ms of user + system time. On a shared machine CPU per
 * operation holds where the throughput does not, so the benches print both.
 */

const USER_HZ_MS = 10; // USER_HZ is 100 on Linux

/** The fields of /proc/PID/stat after the command name (state first). */
const statFields = (stat: string): string[] => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

/** CPU the given processes used so far; 0 when one cannot be read. */
export async function processesCpuMs(pids: readonly (number | undefined)[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = statFields(await readFile(`/proc/${pid}/stat`, 'utf8'));
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  }
  return ticks * USER_HZ_MS;
}

/** CPU of every PostgreSQL process on this machine (postmaster, backends, WAL writer...). */
async function postgresCpuMs(): Promise<number> {
  let ticks = 0;
  try {
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const fields = statFields(stat);
        // Its own time and its ended children's (the postmaster's backends that exited count still).
        ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return 0;
  }
  return ticks * USER_HZ_MS;
}

/** Busy CPU time of the whole machine (every core, every process, the kernel). */
async function machineBusyMs(): Promise<number> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * USER_HZ_MS
    );
  } catch {
    return 0;
  }
}

/** CPU ms per operation, to three decimals; null when nothing was done. */
const perOperation = (cpuMs: number, operations: number): number | null =>
  operations === 0 ? null : Math.round((cpuMs / operations) * 1000) / 1000;

/** The three counters at one moment: the measured processes' own (`ownMs`), PostgreSQL's, the machine's. */
export interface CpuReading {
  readonly own: number;
  readonly database: number;
  readonly machine: number;
}

export async function readCpu(ownMs: () => number | Promise<number>): Promise<CpuReading> {
  return { own: await ownMs(), database: await postgresCpuMs(), machine: await machineBusyMs() };
}

/** CPU per operation between two readings; PostgreSQL's is null for the embedded store (it is the own). */
export function cpuPerOperation(
  before: CpuReading,
  after: CpuReading,
  operations: number,
  postgres: boolean,
) {
  return {
    own: perOperation(after.own - before.own, operations),
    database: postgres ? perOperation(after.database - before.database, operations) : null,
    machine: perOperation(after.machine - before.machine, operations),
  };
}
