import { describeConfig } from '../../config.ts';
import { startServer } from '../../server.ts';
import { StoreLockedError } from '../../store/folder-lock.ts';
import { CliError, defineCommand, EXIT_STORE, EXIT_USAGE, loadConfig } from '../command.ts';
import { formatFields, printJson } from '../output.ts';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Start the HTTP API (this is `npm start`).',
  details: [
    'Opens the store (embedded PGlite in CONNECTS_DATA_DIR, or PostgreSQL with DATABASE_URL), applies',
    'pending migrations, and listens on PORT. Without CONNECTS_ADMIN_TOKEN an admin token is generated',
    'into the data folder and printed. Stops gracefully on Ctrl-C (SIGINT) or SIGTERM.',
  ].join('\n'),
  options: {},
  async run({ io, json }) {
    const config = loadConfig(io);
    const running = await startServer(config).catch((error: unknown) => {
      // A taken port or an unreachable database is a setup problem, not a bug: say it plainly.
      const exit = isStoreError(error) ? EXIT_STORE : EXIT_USAGE;
      throw new CliError(exit, `cannot start: ${(error as Error).message}`);
    });
    const token = running.adminToken;
    const shownToken = token.source === 'environment' ? undefined : token.token;
    if (json) {
      printJson(io, {
        url: running.url,
        docsUrl: running.docsUrl,
        ...describeConfig(config),
        store: running.storeOpened.location,
        migrationsApplied: running.storeOpened.applied,
        adminToken: shownToken ?? null,
        adminTokenSource: token.source,
      });
    } else {
      const tokenLine =
        shownToken === undefined
          ? 'from CONNECTS_ADMIN_TOKEN'
          : `${shownToken}  (${token.source === 'generated' ? 'generated, saved in' : 'from'} ${token.file})`;
      const applied = running.storeOpened.applied;
      const storeKind = config.databaseUrl === undefined ? 'embedded PGlite in' : 'PostgreSQL at';
      const appliedNote = applied.length > 0 ? ` (applied ${applied.length} migrations)` : '';
      io.stdout(
        `Connects is listening on ${running.url}\n` +
          formatFields([
            ['API docs', running.docsUrl],
            ['Store', `${storeKind} ${running.storeOpened.location}${appliedNote}`],
            ['Admin token', tokenLine],
            [
              'Clock',
              config.manualClock ? 'manual: PUT /v1/admin/clock moves it; ticks only on request' : 'system',
            ],
          ]) +
          'Press Ctrl-C to stop.\n',
      );
    }
    const signal = await io.stopSignal;
    io.stderr(`Received ${signal}; finishing requests and closing the store...\n`);
    await running.close();
    io.stderr('Stopped.\n');
  },
});

/** Errors codes of a store that cannot be reached or opened (network, PostgreSQL connection refusals). */
const storeErrorCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  '3D000', // database does not exist
  '28000', // no such role / not allowed
  '28P01', // bad password
  '57P03', // database starting up
]);

/** The embedded folder held by another process, or a database that refused or did not answer. */
function isStoreError(error: unknown): boolean {
  if (error instanceof StoreLockedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && storeErrorCodes.has(code);
}
