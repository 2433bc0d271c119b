import { openConfiguredStore } from '../../open-configured-store.ts';
import { CliError, defineCommand, EXIT_STORE, loadConfig } from '../command.ts';
import { printJson } from '../output.ts';

export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'Apply pending database migrations and say what was applied.',
  details:
    'Migrations are forward-only numbered SQL files (src/store/migrations). `serve` applies them too;\n' +
    'run this first when several servers share one PostgreSQL database.',
  options: {},
  async run({ io, json }) {
    const config = loadConfig(io);
    const opened = await openConfiguredStore(config).catch((error: unknown) => {
      throw new CliError(EXIT_STORE, `cannot open the store: ${(error as Error).message}`);
    });
    await opened.store.close();
    const store = opened.location;
    if (json) {
      printJson(io, { store, applied: opened.applied });
    } else if (opened.applied.length === 0) {
      io.stdout(`The database is up to date (${store}).\n`);
    } else {
      const list = opened.applied.map((name) => `  ${name}\n`).join('');
      io.stdout(`Applied ${opened.applied.length} migration(s) to ${store}:\n${list}`);
    }
  },
});
