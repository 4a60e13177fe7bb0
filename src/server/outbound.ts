/**
 * The server's outbound guard (src/core/outbound/guard.ts): compiled from the configuration and the ports the
 * admin and gateway listeners got (port 0 picks one), which are known only once they listen; no delivery or
 * API request happens before that.
 */
import type { FieldError } from '../core/errors.js';
import { outboundFieldErrors } from '../core/outbound/admission.js';
import { compileOutboundGuard, isLoopbackHost, type OutboundGuard } from '../core/outbound/guard.js';
import type { Resource } from '../core/resources/object.js';
import type { ServerConfig } from './config.js';

export interface ServerGuard {
  readonly guard: OutboundGuard;
  readonly admissionChecks: (object: Resource) => FieldError[];
  /** Names the listeners that are never targets (admin, gateway), by the URLs they listen on. */
  protect(urls: readonly string[]): void;
}

export function createServerGuard(config: ServerConfig): ServerGuard {
  const policy = { allowPrivate: isLoopbackHost(config.host), allow: config.subscriberAllow };
  let compiled = compileOutboundGuard({ ...policy, ownListeners: [] });
  const guard: OutboundGuard = { refusal: (address, port) => compiled.refusal(address, port) };
  return {
    guard,
    admissionChecks: (object) => outboundFieldErrors(guard, object),
    protect(urls) {
      const ownListeners = urls.map((url) => {
        const { hostname, port } = new URL(url);
        return { host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) };
      });
      compiled = compileOutboundGuard({ ...policy, ownListeners });
    },
  };
}
