import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { envName } from '../core/settings.js';

export interface Listener {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (bounded), then cuts what is left (e.g. watch streams). */
  close(graceMs: number): Promise<void>;
}

/** What a listener is called in errors, and the `serve` setting that chooses its port. */
export interface ListenerName {
  readonly name: string;
  readonly setting: 'port' | 'adminPort' | 'gatewayPort';
}

export async function listen(
  host: string,
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  named: ListenerName,
): Promise<Listener> {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, handler);
  // A malformed request line or header never reaches the handler: answer 400 and close, never crash.
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => reject(listenError(error, host, port, named));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** A port taken or not allowed names the flag (and variable) that moves this listener elsewhere. */
function listenError(error: Error, host: string, port: number, named: ListenerName): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const flag = `--${named.setting.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const choose = `choose another with ${flag} (env ${envName(named.setting)}), or ${flag} 0 for a free one`;
  if (code === 'EADDRINUSE')
    return new Error(`${named.name} port ${port} on ${host} is already in use: ${choose}`, { cause: error });
  if (code === 'EACCES')
    return new Error(`${named.name} port ${port} on ${host} needs privileges: ${choose}`, { cause: error });
  if (code === 'EADDRNOTAVAIL')
    return new Error(`${named.name}: ${host} is not an address of this machine: choose another with --host`, {
      cause: error,
    });
  return error;
}
