import { sqlState, isStoreUnavailableError, type SqlClient } from './sql-client.ts';
import type { LedgerStore } from './store.ts';

/**
 * Reads that may lag (history, as-of balances, statistics, lists) served by a
 * streaming replica, with the primary as the fallback. Everything else on the
 * returned store (writes, transactions, the current balance) goes to the
 * primary, so a caller's own balance right after its write stays exact.
 *
 * The replica is used only while its lag is known to be within `maxLagMs`.
 * A check, at most every `checkEveryMs` and only when a read asks, reads the
 * primary's WAL position and then the replica's replay position. Every
 * primary position sampled is kept with its time: once the replica has
 * replayed past a sample taken at t, it holds every commit made before t, so
 * its lag is at most now - t. With no such sample within the bound (the
 * replica paused, cut off or far behind), or when the replica does not
 * answer, reads go to the primary until a later check finds it caught up.
 */

export type ReplicaState = 'streaming' | 'lagging' | 'down';

export interface ReplicaStatus {
  readonly state: ReplicaState;
  /** An upper bound on the lag at the last check, ms; null when unknown (down, or beyond every sample). */
  readonly lagMs: number | null;
}

export interface ReplicaReadsOptions {
  readonly primary: LedgerStore;
  /** The store on the replica's client (reads only). */
  readonly replica: LedgerStore;
  /** The primary's client, for its WAL position. */
  readonly primaryClient: SqlClient;
  readonly maxLagMs: number;
  /** Default: a quarter of maxLagMs, between 100 ms and 1 s. */
  readonly checkEveryMs?: number;
  /** Default: performance.now (a monotonic clock; the service clock may be manual). */
  readonly now?: () => number;
}

export interface ReplicaReads {
  /** The store route handlers read from: lagging reads on the replica while it is fresh enough. */
  readonly store: LedgerStore;
  /** Checks now (if due) and says where lagging reads go. */
  status(): Promise<ReplicaStatus>;
  /** Closes the replica's pool (not the primary's). */
  close(): Promise<void>;
}

/** A replica check that takes longer than this counts as a replica down. */
const CHECK_TIMEOUT_MS = 1_000;

/** Most primary positions kept (a check adds one). */
const MAX_SAMPLES = 64;

/** A PostgreSQL LSN ("16/B374D848") as a number that orders like it. */
export function parseLsn(text: string): bigint {
  const [high, low] = text.split('/');
  if (high === undefined || low === undefined) throw new Error(`not an LSN: ${text}`);
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/**
 * SQLSTATEs after which a read is simply run on the primary: 25006 (a statement that writes reached the
 * replica), 42P01 and 42703 (a table or column a migration just added, not replayed there yet).
 */
const PRIMARY_ONLY = new Set(['25006', '42P01', '42703']);

/** The replica is away, or could not run the statement. */
function replicaFailed(error: unknown): boolean {
  const code = sqlState(error);
  return isStoreUnavailableError(error) || (code !== undefined && PRIMARY_ONLY.has(code));
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`replica check took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createReplicaReads(options: ReplicaReadsOptions): ReplicaReads {
  const { primary, replica, primaryClient, maxLagMs } = options;
  const now = options.now ?? (() => performance.now());
  const checkEveryMs = options.checkEveryMs ?? Math.min(1_000, Math.max(100, Math.floor(maxLagMs / 4)));
  const samples: { at: number; lsn: bigint }[] = [];
  let status: ReplicaStatus = { state: 'lagging', lagMs: null };
  let checkedAt = -Infinity;
  let checking: Promise<ReplicaStatus> | undefined;

  async function check(): Promise<ReplicaStatus> {
    const at = now();
    const { rows } = await primaryClient.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    samples.push({ at, lsn: parseLsn(rows[0]?.lsn ?? '0/0') });
    while (samples.length > MAX_SAMPLES || (samples[0] !== undefined && samples[0].at < at - 2 * maxLagMs)) {
      samples.shift();
    }
    let replayed: { lsn: string | null }[];
    try {
      ({ rows: replayed } = await withTimeout(
        replica.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn'),
        CHECK_TIMEOUT_MS,
      ));
    } catch {
      return { state: 'down', lagMs: null };
    }
    const text = replayed[0]?.lsn ?? null;
    // Not in recovery: a primary of its own, as current as it gets.
    if (text === null) return { state: 'streaming', lagMs: 0 };
    const position = parseLsn(text);
    const caughtUp = samples.filter((s) => s.lsn <= position).at(-1);
    if (caughtUp === undefined) return { state: 'lagging', lagMs: null };
    const lagMs = Math.round(now() - caughtUp.at);
    return { state: lagMs <= maxLagMs ? 'streaming' : 'lagging', lagMs };
  }

  function current(): Promise<ReplicaStatus> {
    if (now() - checkedAt < checkEveryMs) return Promise.resolve(status);
    checking ??= check()
      .catch((): ReplicaStatus => ({ state: 'lagging', lagMs: null }))
      .then((found) => {
        status = found;
        checkedAt = now();
        return found;
      })
      .finally(() => {
        checking = undefined;
      });
    return checking;
  }

  /** Runs a read on the replica when it is fresh enough, else (or when it fails) on the primary. */
  async function read<T>(run: (store: LedgerStore) => Promise<T>): Promise<T> {
    if ((await current()).state !== 'streaming') return run(primary);
    try {
      return await run(replica);
    } catch (error) {
      if (!replicaFailed(error)) throw error;
      if (isStoreUnavailableError(error)) {
        status = { state: 'down', lagMs: null };
        checkedAt = now();
      }
      return run(primary);
    }
  }

  const store: LedgerStore = {
    engine: primary.engine,
    execute: (cmd) => primary.execute(cmd),
    executeMany: (cmds) => primary.executeMany(cmds),
    balance: (account, t) => primary.balance(account, t),
    balanceAsOf: (account, t) => read((s) => s.balanceAsOf(account, t)),
    lots: (account, lotOptions) => read((s) => s.lots(account, lotOptions)),
    holds: (account, holdOptions) => read((s) => s.holds(account, holdOptions)),
    entries: (account, query) => read((s) => s.entries(account, query)),
    sweepExpired: (t, limit) => primary.sweepExpired(t, limit),
    query: (sql, params, name) => read((s) => s.query(sql, params, name)),
    transaction: (fn) => primary.transaction(fn),
    round: (round) => primary.round(round),
    // The primary is closed by its owner; this store only borrows it.
    close: () => replica.close(),
  };

  return {
    store,
    status: current,
    close: () => replica.close(),
  };
}
