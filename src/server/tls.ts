/**
 * TLS for every listener (`--tls-cert`, `--tls-key`, PEM files): read at start, and read again when either
 * file changes (a certificate renewed by cert-manager or certbot is replaced in place or through a symlink),
 * so listeners pick it up without a restart. Files are polled by their stat every two seconds: fs.watch misses
 * a symlink swapped under it, and two stats every two seconds cost nothing.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Logger } from '../core/logger.js';
import { ConfigError } from './config-error.js';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** `--client-ca`: clients may present a certificate this CA signed (it names their application). */
  readonly clientCaFile?: string | undefined;
}

/** What https.createServer and setSecureContext take. */
export interface TlsOptions {
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly ca?: Buffer;
  /** Asked for but not required: a request without one still authenticates with a token. */
  readonly requestCert?: boolean;
  readonly rejectUnauthorized?: boolean;
}

export interface TlsSource {
  /** The key and certificate as read last, for https.createServer. */
  current(): TlsOptions;
  /** Called with a new context each time the files change and still make a valid pair. */
  onChange(listener: (context: SecureContext) => void): void;
  close(): void;
}

const POLL_MS = 2000;

export function loadTls(files: TlsFiles, logger: Logger): TlsSource {
  let pair = read(files);
  // Throws now, at start, on a key that does not match its certificate.
  createSecureContext(pair);
  const listeners: ((context: SecureContext) => void)[] = [];
  const reload = (): void => {
    try {
      const next = read(files);
      const context = createSecureContext(next);
      pair = next;
      for (const listener of listeners) listener(context);
      logger.info({ cert: files.certFile }, 'TLS certificate reloaded');
    } catch (error) {
      // Mid-renewal the key may be new and the certificate still old: keep serving the last good pair.
      logger.warn(
        { err: error, cert: files.certFile },
        'TLS files changed but do not load; keeping the last ones',
      );
    }
  };
  watchFile(files.certFile, { interval: POLL_MS }, reload);
  watchFile(files.keyFile, { interval: POLL_MS }, reload);
  return {
    current: () => pair,
    onChange: (listener) => void listeners.push(listener),
    close() {
      unwatchFile(files.certFile, reload);
      unwatchFile(files.keyFile, reload);
    },
  };
}

function read(files: TlsFiles): TlsOptions {
  try {
    const pair = { key: readFileSync(files.keyFile), cert: readFileSync(files.certFile) };
    if (files.clientCaFile === undefined) return pair;
    return { ...pair, ca: readFileSync(files.clientCaFile), requestCert: true, rejectUnauthorized: false };
  } catch (error) {
    throw new ConfigError(
      `tls: cannot read ${files.certFile} or ${files.keyFile}: ${(error as Error).message}`,
    );
  }
}
