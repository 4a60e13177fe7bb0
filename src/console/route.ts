/**
 * `GET /console` on the admin listener. The page is public (it holds no data; every data call needs the
 * admin token), so it is served without authentication. Its Content-Security-Policy lets it run exactly
 * its own inline script and stylesheet (pinned by hash) and talk only to its own origin.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONSOLE_SCRIPT, CONSOLE_STYLE, renderConsolePage } from './page.js';

/** The exact path the server mounts the console on. */
export const CONSOLE_PATH = '/console';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Same origin only; inline code only when it is this page's own script or stylesheet (a hash is stricter
 * than 'unsafe-inline': markup injected into the page could not run). No framing, no plugins, no <base>.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  `script-src 'self' ${sha256(CONSOLE_SCRIPT)}`,
  `style-src 'self' ${sha256(CONSOLE_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

let page: Buffer | undefined;

export function consoleRoute(req: IncomingMessage, res: ServerResponse): void {
  page ??= Buffer.from(renderConsolePage(), 'utf8');
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': page.length,
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : page);
}
