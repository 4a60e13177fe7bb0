/**
 * Fan-out of an application's events to the `default` broker of every namespace bound to it (ARCHITECTURE
 * 2.3). The binding is the permission: no other broker is ever written.
 */
import type { Context } from '@opentelemetry/api';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { isMeshError, MeshError } from '../../core/errors.js';
import type { IngressPort } from '../ingress/port.js';
import { APPLICATION_BROKER } from '../../core/resources/applicationmapping/types.js';

/**
 * What a fan-out did: stored in every namespace (none when nothing is bound), refused before anything was
 * stored, or stored in some namespaces before a store failed.
 */
export type FanOutOutcome =
  | { readonly type: 'stored'; readonly namespaces: readonly string[] }
  | { readonly type: 'refused'; readonly error: MeshError }
  | { readonly type: 'partial'; readonly stored: readonly string[]; readonly failure: MeshError };

/**
 * Stores `events` in the `default` broker of each namespace and resolves with the outcome once every store
 * has finished. Errors that are not MeshErrors are bugs and reject.
 *
 * The rule for an application bound to several namespaces (docs/gateway.md): every bound namespace's broker
 * must be able to take the events before any stores them; when one cannot (missing, not Ready, shutting
 * down), nothing is stored and the outcome is a refusal naming all that refused, so a retry causes no
 * duplicates. When a store fails after the others stored (a disk filled in between), the outcome is
 * `partial`: the sender is answered with the failure and sends again, and the namespaces that did store see
 * the event twice (at least once, never lost).
 */
export async function storeInNamespaces(
  mesh: IngressPort,
  namespaces: readonly string[],
  events: readonly CloudEvent[],
  parent?: Context,
): Promise<FanOutOutcome> {
  const refusals: MeshError[] = [];
  const brokers = namespaces.flatMap((namespace) => {
    try {
      return [mesh.accepting(namespace, APPLICATION_BROKER)];
    } catch (error) {
      if (!isMeshError(error)) throw error;
      refusals.push(error);
      return [];
    }
  });
  const [first] = refusals;
  if (first !== undefined) {
    // A missing broker in a bound namespace is being created by the binding: retryable, like not Ready.
    const code = first.code === 'MESH_BROKER_NOT_FOUND' ? 'MESH_BROKER_NOT_READY' : first.code;
    const error = new MeshError(
      code,
      `nothing was stored: ${refusals.length} of ${namespaces.length} bound namespace(s) cannot take events now (${refusals.map((r) => r.message).join('; ')})`,
    );
    return { type: 'refused', error };
  }
  const results = await Promise.allSettled(
    brokers.map((broker) => mesh.ingest(broker, events, undefined, parent)),
  );
  const stored = brokers.filter((_, i) => results[i]?.status === 'fulfilled').map((b) => b.namespace);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed === undefined) return { type: 'stored', namespaces: stored };
  if (!isMeshError(failed.reason)) throw failed.reason;
  if (stored.length === 0) return { type: 'refused', error: failed.reason };
  return { type: 'partial', stored, failure: failed.reason };
}

/** The error a sender is answered with after a partial fan-out: the failure, naming where it was stored. */
export function partialFailure(stored: readonly string[], failure: MeshError): MeshError {
  return new MeshError(
    failure.code,
    `${failure.message}; stored in ${stored.join(', ')} before the failure: a retry delivers it there twice`,
    failure.details,
    { cause: failure },
  );
}
