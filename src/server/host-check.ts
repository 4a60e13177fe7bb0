/**
 * The admin listener's Host check (docs/security.md). A web page can make a browser send requests to
 * 127.0.0.1:8081 under its own name by pointing that name at 127.0.0.1 (DNS rebinding); such requests carry
 * the page's name in `Host`. The admin API and console therefore answer only to the names they are reached
 * by legitimately: IP addresses, `localhost`, this machine's name, the advertised and listen host, and the
 * names given with `--admin-host` (`*` turns the check off).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { statusOf } from '../controlplane/api/index.js';
import { truncateEcho } from '../core/echo.js';
import { MeshError } from '../core/errors.js';

/** Answers 421 (MESH_HOST_NOT_ALLOWED) to a request whose Host `allowed` refuses; passes the rest on. */
export function guardHost(
  allowed: (host: string | undefined) => boolean,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const host = req.headers.host;
    if (allowed(host)) {
      handler(req, res);
      return;
    }
    const status = statusOf(
      new MeshError(
        'MESH_HOST_NOT_ALLOWED',
        `the admin API does not answer to the host "${truncateEcho(String(host), 256)}"; add it with --admin-host`,
      ),
    );
    const body = JSON.stringify(status);
    res.writeHead(status.code, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
}

export function createHostCheck(names: readonly string[]): (host: string | undefined) => boolean {
  if (names.includes('*')) return () => true;
  const machine = hostname().toLowerCase();
  const allowed = new Set([
    'localhost',
    machine,
    machine.split('.')[0]!,
    ...names.map((name) => name.toLowerCase()),
  ]);
  return (host) => {
    // HTTP/1.0 requests may have no Host; browsers always send one.
    if (host === undefined) return true;
    const name = hostOf(host).toLowerCase();
    return isIP(name) !== 0 || allowed.has(name) || name.endsWith('.localhost');
  };
}

/** The host of a Host header without its port (`[::1]:8081` -> `::1`). */
function hostOf(header: string): string {
  if (header.startsWith('[')) {
    const end = header.indexOf(']');
    return end < 0 ? header : header.slice(1, end);
  }
  const colon = header.lastIndexOf(':');
  return colon < 0 ? header : header.slice(0, colon);
}
