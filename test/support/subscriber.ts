/** A real HTTP subscriber for end-to-end tests: records what it receives and answers as scripted. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly at: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Delay before answering, in ms. */
  readonly delayMs?: number;
}

export interface Subscriber {
  readonly url: string;
  readonly received: Received[];
  /** Resolves once `count` requests have arrived (rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** `answer` is asked for every request, with the 1-based request number. Default: 200, empty body. */
export async function startSubscriber(
  answer: (n: number, received: Received) => Answer = () => ({ status: 200 }),
): Promise<Subscriber> {
  const received: Received[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      received.push(entry);
      const reply = answer(received.length, entry);
      const send = (): void => {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
        waiters = waiters.filter((w) => (received.length >= w.count ? (w.resolve(), false) : true));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    waitFor(count, timeoutMs = 5000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`subscriber got ${received.length} of ${count} requests in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits a little to show that nothing more arrives. */
export function quiet(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
