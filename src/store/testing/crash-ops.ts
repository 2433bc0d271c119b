import { createHash } from 'node:crypto';
import type { Operation } from '../../core/ledger/operations.ts';
import type { ExecuteCommand } from '../store.ts';
import { T0, YEAR } from './fixtures.ts';

export const CRASH_ACCOUNTS = ['crash-a', 'crash-b', 'crash-c', 'crash-d'] as const;

/** A number from 0 to 2^32-1 fixed by the text, so a retry rebuilds exactly the same command. */
function draw(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/**
 * The command with id `<cycle>-<n>`: a mix of grants, debits, holds and
 * their captures or releases on a few accounts, keyed by its id. Pure
 * function of the id, so the test can resubmit any command after a crash.
 */
export function crashCommand(id: string): ExecuteCommand {
  const [cycle, nText] = id.split('-');
  const n = Number(nText);
  const r = draw(id);
  const account = CRASH_ACCOUNTS[r % CRASH_ACCOUNTS.length] as string;
  const amount = 1 + ((r >>> 8) % 8);
  let op: Operation;
  if (n % 10 === 5) op = { kind: 'hold', holdId: id, amount };
  else if (n % 10 === 9) {
    // Settles the hold placed four commands earlier (on whichever account that was).
    const holdId = `${cycle}-${n - 4}`;
    const holdCmd = crashCommand(holdId);
    const kind = (r >>> 16) % 2 === 0 ? 'capture' : 'release';
    return { account: holdCmd.account, op: { kind, holdId }, now: T0 + n, idempotencyKey: id };
  } else if ((r >>> 4) % 10 < 4)
    op = { kind: 'grant', amount: amount * 3, source: 'purchase', category: 'paid', expiresAt: T0 + YEAR };
  else op = { kind: 'debit', amount, ref: `job-${id}` };
  return { account, op, now: T0 + n, idempotencyKey: id };
}
