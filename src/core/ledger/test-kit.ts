import { assert } from '../errors.ts';
import type { Instant } from '../time.ts';
import { emptyAccount, type AccountState, type Entry } from '../types.ts';
import { applyOperation } from './apply.ts';
import type { GrantOp, Operation } from './operations.ts';

export const DAY = 86_400_000;
export const T0: Instant = Date.UTC(2026, 0, 1);

/** Applies operations that must succeed; used by tests to build a state. */
export function build(ops: readonly [Operation, Instant][], start?: AccountState) {
  let state = start ?? emptyAccount('fl-1');
  const entries: Entry[] = [];
  for (const [op, now] of ops) {
    const result = applyOperation(state, op, now);
    assert(result.ok, `operation ${op.kind} failed: ${result.ok ? '' : result.error.code}`);
    state = result.value.state;
    entries.push(...result.value.entries);
  }
  return { state, entries };
}

export function grant(amount: number, expiresAt: Instant, issuedAt?: Instant): GrantOp {
  return {
    kind: 'grant',
    amount,
    source: 'admin',
    category: 'free',
    expiresAt,
    ...(issuedAt === undefined ? {} : { issuedAt }),
  };
}
