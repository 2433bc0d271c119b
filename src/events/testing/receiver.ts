import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, exactly as it arrived. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The status it answered with. */
  readonly status: number;
}

/** Decides the answer to a request; may wait (to simulate a slow receiver). */
export type Responder = (body: string, headers: IncomingHttpHeaders) => number | Promise<number>;

export interface TestReceiver {
  readonly url: string;
  readonly received: Received[];
  /** Requests answered 2xx, parsed. */
  accepted(): { id: string; type: string; data: Record<string, unknown> }[];
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and an ephemeral port that records every
 * webhook request. Loopback only: tests never reach outside the machine.
 */
export async function startReceiver(responder: Responder = () => 204): Promise<TestReceiver> {
  const received: Received[] = [];
  let respond = responder;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void Promise.resolve(respond(body, req.headers)).then((status) => {
        received.push({ headers: req.headers, body, status });
        if (!res.destroyed)
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? '' : 'nope');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    accepted: () =>
      received
        .filter((r) => r.status >= 200 && r.status < 300)
        .map((r) => JSON.parse(r.body) as { id: string; type: string; data: Record<string, unknown> }),
    respondWith(next) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The receiver listens on 127.0.0.1: registration and delivery must allow internal targets. */
export const localReceiverOptions = { allowInternalTargets: true } as const;
