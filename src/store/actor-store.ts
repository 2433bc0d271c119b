import type { LedgerStore, StoreTx } from './store.ts';

/** Who is writing: an operator id (or 'admin', the bootstrap token) and its role. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

/** One ledger entry a request wrote, for its audit row. */
export interface WrittenEntry {
  readonly account: string;
  readonly seq: number;
}

/**
 * What the store wrapper needs from the request it serves: the actor (absent
 * for a freelancer or the scheduler) and a list collecting the entries written.
 */
export interface ActorScope {
  readonly actor: Actor | undefined;
  readonly written: WrittenEntry[];
}

/** A statement that writes on its own, outside any transaction the use case opened. */
const WRITE_STATEMENT = /^\s*(INSERT|UPDATE|DELETE|WITH)\b/i;

const SET_ACTOR =
  "SELECT set_config('connects.actor', $1, true) AS a, set_config('connects.actor_role', $2, true) AS r";

/** The same stamp as one statement with its values inlined (for a script). */
export function stampActorSql(actor: Actor, literal: (text: string) => string): string {
  return `SELECT set_config('connects.actor', ${literal(actor.id)}, true) AS a, set_config('connects.actor_role', ${literal(actor.role)}, true) AS r`;
}

/** Stamps the rows the transaction inserts from here on with the actor (the columns' default). */
export async function stampActor(tx: Pick<StoreTx, 'query'>, actor: Actor): Promise<void> {
  await tx.query(SET_ACTOR, [actor.id, actor.role]);
}

/**
 * The store as a request of an operator sees it: every transaction it runs
 * first sets the transaction-local settings `connects.actor` and
 * `connects.actor_role`, which the columns entries.actor, jobs.created_by and
 * promo_codes.created_by take as their default (migration 071), so the rows a
 * use case inserts carry the actor without any use case naming it. A ledger
 * command that would go through the group-commit batcher (shared by many
 * requests' commands, so one setting cannot name them all) runs in its own
 * transaction instead, and so does a lone write statement. Requests without
 * an actor use the store unchanged.
 */
export function actorStore(store: LedgerStore, current: () => ActorScope | undefined): LedgerStore {
  const transaction: LedgerStore['transaction'] = (fn) => {
    const scope = current();
    const actor = scope?.actor;
    if (scope === undefined || actor === undefined) return store.transaction(fn);
    return store.transaction(async (tx) => {
      await stampActor(tx, actor);
      // Collected per attempt: a retried transaction reports only the attempt that committed.
      const attempt: WrittenEntry[] = [];
      const out = await fn(collecting(tx, attempt));
      scope.written.push(...attempt);
      return out;
    });
  };
  const overrides: Partial<LedgerStore> = {
    transaction,
    execute: (cmd) => {
      if (current()?.actor === undefined) return store.execute(cmd);
      return transaction((tx) =>
        tx.applyOps(cmd.account, [cmd.op], cmd.now, cmd.idempotencyKey, cmd.requestHash),
      );
    },
    executeMany: (cmds) => Promise.all(cmds.map((cmd) => wrapped.execute(cmd))),
    query: (sql, params, name) => {
      if (current()?.actor === undefined || !WRITE_STATEMENT.test(sql)) return store.query(sql, params, name);
      return transaction((tx) => tx.query(sql, params, name));
    },
  };
  const wrapped: LedgerStore = new Proxy(store, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in overrides) {
        return overrides[property as keyof LedgerStore];
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return wrapped;
}

/** The transaction with its ledger writes noted in `written`. */
function collecting(tx: StoreTx, written: WrittenEntry[]): StoreTx {
  return {
    ...tx,
    async applyOps(account, ops, now, idempotencyKey, requestHash) {
      const result = await tx.applyOps(account, ops, now, idempotencyKey, requestHash);
      if (result.ok && !result.value.replayed) {
        for (const entry of result.value.entries) written.push({ account, seq: entry.seq });
      }
      return result;
    },
    async applyMany(commands, now) {
      const result = await tx.applyMany(commands, now);
      if (result.ok) {
        result.value.forEach((value, i) => {
          const account = commands[i]?.account;
          if (account !== undefined && !value.replayed) {
            for (const entry of value.entries) written.push({ account, seq: entry.seq });
          }
        });
      }
      return result;
    },
  };
}
