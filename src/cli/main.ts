import type { CliIo } from './command.ts';
import { commands } from './commands/index.ts';
import { runCli } from './run.ts';

/**
 * The process entry point (bin/connects.mjs imports it): real streams, the
 * real environment, signals. Everything else lives in run.ts and is tested
 * with a fake CliIo.
 */
const stopSignal = new Promise<string>((resolve) => {
  const onSignal = (signal: string): void => {
    // A second signal means "now": skip the graceful shutdown.
    process.once(signal, () => process.exit(130));
    resolve(signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
});

const io: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  interactive: process.stderr.isTTY === true,
  stopSignal,
};

process.exitCode = await runCli(process.argv.slice(2), io, commands);
// A finished command ends the process, even if a library left a timer or socket open.
process.exit();
