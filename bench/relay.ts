/**
 * S0r, the bare relay: the least any two-hop HTTP mesh in Node must do. node:http in, answer 202 once the
 * body is read, forward the headers and body through an undici Pool (as many connections as the mesh's
 * sender uses). No parsing, storage, routing or retries: its throughput is the physical limit on this
 * machine, and every cemesh throughput is reported as a ratio to it.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { serveRpc } from './rpc.js';

/** The same as the mesh's sender (src/dataplane/delivery/sender.ts), so both have equal outbound capacity. */
const CONNECTIONS = 128;

/** Hop-by-hop and framing headers that belong to one connection, not to the forwarded message. */
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

let forwarded = 0;
let failed = 0;

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && !DROPPED.has(name)) out[name] = value;
  }
  return out;
}

async function start(params: { target: string }): Promise<{ url: string }> {
  const target = new URL(params.target);
  const pool = new Pool(target.origin, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
  const path = `${target.pathname}${target.search}`;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(202, { 'content-length': '0' });
      res.end();
      pool
        .request({ path, method: 'POST', headers: forwardHeaders(req.headers), body: Buffer.concat(chunks) })
        .then((response) => response.body.dump())
        .then(
          () => forwarded++,
          () => failed++,
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/` };
}

serveRpc({
  start: (params: { target: string }) => start(params),
  counts: () => ({ forwarded, failed }),
});
