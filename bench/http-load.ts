import http from 'node:http';

/**
 * A small HTTP load generator: `connections` keep-alive sockets, each with
 * one request in flight at a time (a closed loop, as a pool of marketplace
 * workers would call), for a fixed time. Latency is measured per request from
 * the first byte written to the last byte read.
 */
export interface HttpCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  /** Bearer token for this call; default the target's. */
  readonly token?: string;
}

export interface HttpLoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers by status code, e.g. { "201": 9000, "503": 2 }. */
  readonly statuses: Readonly<Record<string, number>>;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export class HttpTarget {
  private readonly agents: http.Agent[];

  constructor(
    private readonly baseUrls: readonly string[],
    private readonly token: string | undefined,
    connections: number,
  ) {
    this.agents = baseUrls.map(
      () => new http.Agent({ keepAlive: true, maxSockets: Math.ceil(connections / baseUrls.length) }),
    );
  }

  /** One call to server `server % servers`. */
  call(call: HttpCall, server = 0): Promise<HttpAnswer> {
    const index = server % this.baseUrls.length;
    const url = new URL(call.path, this.baseUrls[index]);
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: call.method,
          agent: this.agents[index],
          headers: {
            ...((call.token ?? this.token) === undefined
              ? {}
              : { authorization: `Bearer ${call.token ?? this.token}` }),
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    for (const agent of this.agents) agent.destroy();
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.floor(p * sorted.length));
  return Math.round((sorted[index] as number) * 100) / 100;
}

/**
 * Runs `connections` closed loops for `seconds`; `next(worker, i)` names each
 * call (null ends that worker early) and `onAnswer` sees every answer.
 */
export async function runHttpLoad(
  target: HttpTarget,
  options: {
    readonly connections: number;
    readonly seconds: number;
    readonly next: (worker: number, i: number) => HttpCall | null;
    readonly onAnswer?: (call: HttpCall, answer: HttpAnswer) => void;
  },
): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; performance.now() < deadline; i++) {
      const call = options.next(w, i);
      if (call === null) return;
      const t = performance.now();
      let answer: HttpAnswer;
      try {
        answer = await target.call(call, w);
      } catch {
        answer = { status: 0, body: '' }; // a reset or refused connection
      }
      latencies.push(performance.now() - t);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      options.onAnswer?.(call, answer);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    seconds: Math.round(seconds * 100) / 100,
    rps: Math.round(latencies.length / seconds),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    statuses,
  };
}

/** Many calls with bounded concurrency (seeding), failing on the first answer outside `ok`. */
export async function callAll(
  target: HttpTarget,
  calls: readonly HttpCall[],
  concurrency: number,
  ok: (status: number) => boolean = (s) => s >= 200 && s < 300,
): Promise<HttpAnswer[]> {
  const answers: HttpAnswer[] = new Array(calls.length);
  let nextIndex = 0;
  const worker = async (w: number): Promise<void> => {
    while (nextIndex < calls.length) {
      const index = nextIndex++;
      const call = calls[index] as HttpCall;
      const answer = await target.call(call, w);
      if (!ok(answer.status)) {
        throw new Error(
          `${call.method} ${call.path} answered ${answer.status}: ${answer.body.slice(0, 300)}`,
        );
      }
      answers[index] = answer;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return answers;
}
