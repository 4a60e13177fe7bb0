/**
 * kubectl sends a bearer token only over TLS. Until cemesh's own TLS listener is on main (`--tls-cert`,
 * `--tls-key`), the kubectl test puts this HTTPS front before the admin API: a self-signed certificate made
 * with openssl for 127.0.0.1, every request and response streamed through unchanged (watches included).
 */
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface TlsProxy {
  readonly url: string;
  close(): Promise<void>;
}

/** Writes `key.pem` and `cert.pem` into `dir`; throws when openssl is not installed. */
export function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } {
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]),
    { stdio: 'ignore' },
  );
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

export async function startTlsProxy(target: string, tls: { key: Buffer; cert: Buffer }): Promise<TlsProxy> {
  const upstream = new URL(target);
  const server: Server = createServer(tls, (req, res) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
