/**
 * The sender's connections through the outbound guard (src/core/outbound/guard.ts): the address a connection
 * goes to is checked after the name is resolved, in the lookup undici's connector hands to net.connect, so a
 * name that resolved to a public address at admission and to 169.254.169.254 now (DNS rebinding) is refused.
 */
import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import type { OutboundGuard } from '../../core/outbound/guard.js';

export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
  readonly code = 'MESH_OUTBOUND_REFUSED';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A connector for one origin's pool that refuses addresses the guard refuses. */
export function guardedConnector(
  guard: OutboundGuard,
  port: number,
  options: buildConnector.BuildOptions = {},
): buildConnector.connector {
  const connector = buildConnector({
    ...options,
    lookup: checkedLookup(guard, port),
  } as buildConnector.BuildOptions);
  return (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
    // An IP address is not looked up, so it is checked here.
    const refusal = isIP(host) === 0 ? undefined : guard.refusal(host, port);
    if (refusal !== undefined) {
      callback(new OutboundRefusedError(`outbound guard: ${refusal}`), null);
      return;
    }
    connector(connectOptions, callback);
  };
}

function checkedLookup(guard: OutboundGuard, port: number) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      for (const { address } of addresses) {
        const refusal = guard.refusal(address, port);
        if (refusal !== undefined) {
          callback(new OutboundRefusedError(`outbound guard: ${hostname} resolves to ${refusal}`), []);
          return;
        }
      }
      if (options.all === true) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
