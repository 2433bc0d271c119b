import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor, ActorScope, WrittenEntry } from '../store/actor-store.ts';

/**
 * What one request carries through the use cases it calls without any of
 * them naming it: the actor its writes are stamped with (set by the auth
 * guard that let an operator in), the ledger entries it wrote and the
 * freelancer it concerned, both for its audit row.
 */
export interface RequestScope extends ActorScope {
  actor: Actor | undefined;
  readonly written: WrittenEntry[];
  freelancerId?: string;
  /** Set once the request's audit row is written inside its own transaction (the trail then writes none). */
  audited?: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The scope of the request being served, if any (the scheduler loop runs outside every request). */
export const currentRequestScope = (): RequestScope | undefined => storage.getStore();

/** Runs `work` (the rest of the request) inside a fresh scope and returns the scope. */
export async function withRequestScope(work: () => Promise<void>): Promise<RequestScope> {
  const scope: RequestScope = { actor: undefined, written: [] };
  await storage.run(scope, work);
  return scope;
}

/** Names the freelancer a request is about when its path does not (a body field, e.g. POST /v1/admin/grants). */
export function auditFreelancer(freelancerId: string): void {
  const scope = storage.getStore();
  if (scope !== undefined) scope.freelancerId ??= freelancerId;
}
