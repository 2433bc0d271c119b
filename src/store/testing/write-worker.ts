/**
 * A child process for the multi-process and crash tests. It opens its own
 * store (PostgreSQL url or PGlite data folder), writes commands with a few
 * in flight at once, and reports on stdout, one line each:
 *   sent <id>            before submitting a command
 *   ack <id> <json>      after the store acknowledged (committed) it; json is the outcome
 * Run: tsx write-worker.ts '<json WorkerArgs>'
 */
import { openStore } from '../open-store.ts';
import type { ExecuteCommand } from '../store.ts';
import { crashCommand } from './crash-ops.ts';
import { T0 } from './fixtures.ts';

export interface WorkerArgs {
  readonly url?: string;
  readonly dataDir?: string;
  readonly mode: 'spend' | 'crash';
  /** Command ids are `${prefix}-${n}` for n from 0 to count - 1. */
  readonly prefix: string;
  readonly count: number;
  readonly concurrency: number;
  /** For 'spend': the accounts to debit 1 to 3 Connects from. */
  readonly accounts?: readonly string[];
}

function spendCommand(args: WorkerArgs, n: number): ExecuteCommand {
  const accounts = args.accounts ?? [];
  const id = `${args.prefix}-${n}`;
  const account = accounts[(n * 7 + args.prefix.length) % accounts.length] as string;
  return { account, op: { kind: 'debit', amount: 1 + (n % 3) }, now: T0 + n, idempotencyKey: id };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
  const store = await openStore({
    ...(args.url === undefined ? {} : { url: args.url }),
    ...(args.dataDir === undefined ? {} : { dataDir: args.dataDir }),
  });
  let next = 0;
  const lane = async () => {
    while (next < args.count) {
      const n = next++;
      const id = `${args.prefix}-${n}`;
      const cmd = args.mode === 'spend' ? spendCommand(args, n) : crashCommand(id);
      process.stdout.write(`sent ${id}\n`);
      const outcome = await store.execute(cmd);
      const summary = outcome.ok
        ? { ok: true, account: cmd.account, entries: outcome.value.entries.length }
        : { ok: false, code: outcome.error.code };
      process.stdout.write(`ack ${id} ${JSON.stringify(summary)}\n`);
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, lane));
  await store.close();
}

await main();
