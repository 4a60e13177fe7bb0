import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { envName } from '../core/settings.js';
import type { ListenerLimits } from './limits.js';
import type { TlsSource } from './tls.js';

export interface Listener {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (bounded), then cuts what is left (e.g. watch streams). */
  close(graceMs: number): Promise<void>;
}

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** What errors call this listener (`ingress`), and the `serve` setting that chooses its port. */
  readonly name: string;
  readonly portSetting: 'port' | 'adminPort' | 'gatewayPort';
  readonly limits: ListenerLimits;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Serve HTTPS with these files (reloaded when they change); absent: plain HTTP. */
  readonly tls?: TlsSource;
}

export async function listen(options: ListenOptions): Promise<Listener> {
  const { limits } = options;
  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    // How often Node looks for connections past the headers and request timeouts (default 30 s, which
    // would let a trickling client hold a connection three times longer than the 10 s headers timeout).
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
  const { tls } = options;
  const server: Server =
    tls === undefined
      ? createServer(serverOptions, options.handler)
      : createTlsServer({ ...serverOptions, ...tls.current() }, options.handler);
  if (tls !== undefined && 'setSecureContext' in server) {
    const secure = server as unknown as { setSecureContext(options: object): void };
    tls.onChange(() => secure.setSecureContext(tls.current()));
  }
  server.maxConnections = limits.maxConnections;
  capPerClient(server, limits.maxConnectionsPerClient);
  // A malformed request line or header never reaches the handler: answer and close, never crash.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(clientErrorResponse(error.code));
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => reject(listenError(error, options));
    server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `${tls === undefined ? 'http' : 'https'}://${shownHost}:${address.port}`,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** Closes a new connection at once when its client address already holds `max` of this listener's. */
function capPerClient(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

function clientErrorResponse(code: string | undefined): string {
  const status =
    code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`;
}

/** A port taken or not allowed names the flag (and variable) that moves this listener elsewhere. */
function listenError(error: Error, options: ListenOptions): Error {
  const { name, host, port, portSetting } = options;
  const code = (error as NodeJS.ErrnoException).code;
  const flag = `--${portSetting.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const choose = `choose another with ${flag} (env ${envName(portSetting)}), or ${flag} 0 for a free one`;
  if (code === 'EADDRINUSE')
    return new Error(`${name} port ${port} on ${host} is already in use: ${choose}`, { cause: error });
  if (code === 'EACCES')
    return new Error(`${name} port ${port} on ${host} needs privileges: ${choose}`, { cause: error });
  if (code === 'EADDRNOTAVAIL')
    return new Error(`${name}: ${host} is not an address of this machine: choose another with --host`, {
      cause: error,
    });
  return error;
}
