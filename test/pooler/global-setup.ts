import { PGBOUNCER_BIN, pgBouncerInstalled, startPgBouncer, type PgBouncer } from './pgbouncer.ts';

/**
 * Starts one PgBouncer (transaction mode) in front of the test server for the whole pooler run and
 * tells the test engines where it is (CONNECTS_TEST_POOLER, read by src/store/testing/test-engines.ts).
 * The workers are started after this, so they inherit the variable.
 */
let bouncer: PgBouncer | undefined;

export async function setup(): Promise<void> {
  if (!pgBouncerInstalled()) {
    throw new Error(`PgBouncer not found at ${PGBOUNCER_BIN}: apt-get install -y pgbouncer (.ci/run does)`);
  }
  const server = new URL(process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  bouncer = await startPgBouncer({
    upstreamHost: server.hostname,
    upstreamPort: Number(server.port || 5432),
    poolMode: 'transaction',
  });
  process.env['CONNECTS_TEST_POOLER'] = `127.0.0.1:${bouncer.port}`;
}

export async function teardown(): Promise<void> {
  await bouncer?.stop();
}
