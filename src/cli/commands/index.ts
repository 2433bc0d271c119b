import type { Command } from '../command.ts';
import { migrateCommand } from './migrate.ts';
import { serveCommand } from './serve.ts';

/**
 * Every `connects` command, in the order `connects --help` lists them. A new
 * command is one file in this folder and one line here.
 */
export const commands: readonly Command[] = [serveCommand, migrateCommand];
