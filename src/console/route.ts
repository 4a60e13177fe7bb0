/**
 * The console's routes on the admin listener: the page at `/console` and its bundle. They are public (they
 * hold no data; every data call needs the admin token), so they are served without authentication. The
 * Content-Security-Policy lets the page run only this server's script and stylesheet and talk only to its
 * own origin.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_PATH, renderConsolePage, SCRIPT_PATH, STYLE_PATH } from './page.js';

/** Same origin only, no inline code at all. No framing, no plugins, no <base>. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The directory `npm run build` writes the bundle to: `dist/console` under the package root, found from
 * this file whether it runs built (dist/src/console) or from source (src/console).
 */
export function defaultBundleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'console');
}

/** `/console`, `/console/console.js` and `/console/console.css`, read from `bundleDir` on first use. */
export function consoleRoutes(bundleDir = defaultBundleDir()): Record<string, Route> {
  const page = Buffer.from(renderConsolePage(), 'utf8');
  const file = (name: string, type: string): Route => {
    let body: Buffer | undefined;
    return (req, res) => {
      try {
        body ??= readFileSync(join(bundleDir, name));
      } catch {
        const text = `The console is not built: ${join(bundleDir, name)} is missing. Run "npm run build".\n`;
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' });
        res.end(text);
        return;
      }
      send(req, res, body, type);
    };
  };
  return {
    [CONSOLE_PATH]: (req, res) => send(req, res, page, 'text/html; charset=utf-8'),
    [SCRIPT_PATH]: file('console.js', 'text/javascript; charset=utf-8'),
    [STYLE_PATH]: file('console.css', 'text/css; charset=utf-8'),
  };
}

function send(req: IncomingMessage, res: ServerResponse, body: Buffer, type: string): void {
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
