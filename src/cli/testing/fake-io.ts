import type { CliIo } from '../command.ts';

export interface FakeIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
  /** Resolves io.stopSignal, as Ctrl-C would. */
  stop(signal?: string): void;
}

/** A CliIo that records output, for tests of commands and of the runner. */
export function fakeIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  let stop: (signal: string) => void = () => undefined;
  const stopSignal = new Promise<string>((resolve) => {
    stop = resolve;
  });
  return {
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env,
    cwd,
    interactive: false,
    stopSignal,
    stop: (signal = 'SIGTERM') => stop(signal),
  };
}
