// Before any use case's schemas exist (see commands/index.ts): the HTTP routes call `.openapi()` on them.
import '@hono/zod-openapi';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PurchaseContext } from '../../../app/purchases/buy-connects.ts';
import { parseConfig } from '../../../config.ts';
import { createConnects } from '../../../connects.ts';
import { openConfiguredStore } from '../../../open-configured-store.ts';
import { createTestDatabase } from '../../../store/testing/test-databases.ts';

/**
 * A store the operator commands can open from their environment, for tests:
 * a temporary PGlite data folder or a throwaway PostgreSQL database. `seed`
 * opens it in this process, runs use cases, and closes it again (PGlite
 * allows one process at a time), so a command run afterwards finds the data.
 */
export interface CliTestStore {
  readonly name: 'pglite' | 'postgres';
  /** The environment `serve` and the operator commands read. */
  readonly env: Readonly<Record<string, string>>;
  seed<T>(work: (ctx: PurchaseContext) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

function seeder(env: Record<string, string>) {
  return async <T>(work: (ctx: PurchaseContext) => Promise<T>): Promise<T> => {
    const config = parseConfig(env);
    if (!config.ok) throw new Error(config.error.message);
    const opened = await openConfiguredStore(config.value);
    try {
      return await work(createConnects({ store: opened.store }).ctx);
    } finally {
      await opened.store.close();
    }
  };
}

export async function pgliteCliStore(): Promise<CliTestStore> {
  const dir = await mkdtemp(join(tmpdir(), 'connects-cli-'));
  const env = { CONNECTS_DATA_DIR: dir, NODE_ENV: 'test' };
  return { name: 'pglite', env, seed: seeder(env), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function postgresCliStore(): Promise<CliTestStore> {
  const db = await createTestDatabase();
  const env = { DATABASE_URL: db.url, CONNECTS_ADMIN_TOKEN: 'cli-test-admin-token-42', NODE_ENV: 'test' };
  return { name: 'postgres', env, seed: seeder(env), cleanup: () => db.drop() };
}

export const cliTestStores = [
  { name: 'pglite', open: pgliteCliStore },
  { name: 'postgres', open: postgresCliStore },
] as const;
