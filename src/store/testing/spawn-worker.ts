import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerArgs } from './write-worker.ts';

const script = fileURLToPath(new URL('./write-worker.ts', import.meta.url));

export interface RunningWorker {
  readonly child: ChildProcess;
  /** Ids the worker said it submitted. */
  readonly sent: string[];
  /** Acknowledged ids with their outcome summaries. */
  readonly acked: Map<string, { ok: boolean; code?: string; account?: string }>;
  /** Resolves when the process is gone (code null when killed). */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

/**
 * Starts write-worker.ts in its own Node process and parses its report lines
 * as they come. Node loads tsx as a hook in that same process (the `tsx`
 * command would put a wrapper process in between, and SIGKILL on the wrapper
 * would leave the real writer running).
 */
export function spawnWorker(args: WorkerArgs): RunningWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sent: string[] = [];
  const acked: RunningWorker['acked'] = new Map();
  let buffer = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const [what, id, json] = line.split(' ', 3);
      if (what === 'sent' && id !== undefined) sent.push(id);
      if (what === 'ack' && id !== undefined && json !== undefined) acked.set(id, JSON.parse(json));
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { child, sent, acked, exited };
}
