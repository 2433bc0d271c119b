import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The real server as an operator runs it: `node bin/connects.mjs serve --json`
 * (no tsx wrapper process in between, so a signal reaches the server itself)
 * on PostgreSQL, on a fixed port so a restart keeps the URL.
 */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process wrote on stderr (JSON log lines, start-up and stop messages). */
  logs(): string;
  alive(): boolean;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running, and waits for the exit. */
  kill(): Promise<void>;
}

const repo = new URL('../../', import.meta.url);
const START_TIMEOUT_MS = 60_000;

export const FAULT_ADMIN_TOKEN = 'fault-suite-admin-token-0123456789';

export async function startServerProcess(
  databaseUrl: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['bin/connects.mjs', 'serve', '--json'], {
    cwd: repo,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CONNECTS_ADMIN_TOKEN: FAULT_ADMIN_TOKEN,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A server left behind by a runner that went down before afterAll would hold the port and the database.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  let stderr = '';
  let stdout = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', orphan);
      resolve({ code, signal });
    }),
  );
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), START_TIMEOUT_MS);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('"url"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const server: ServerProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    logs: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    exited,
    async kill() {
      if (server.alive()) child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await listening;
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}
