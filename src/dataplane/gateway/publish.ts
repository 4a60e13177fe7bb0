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
 * Stores `events` in the `default` broker of each namespace and resolves with how many there were, once all
 * of them have stored the events as durably as their backends promise.
 *
 * The rule for an application bound to several namespaces (docs/gateway.md): every bound namespace's broker
 * must be able to take the events before any stores them; when one cannot (missing, not Ready, shutting
 * down), nothing is stored and the answer is that namespace's refusal, naming all that refused, so a retry
 * causes no duplicates. When a store fails after the others stored (a disk filled in between), the answer
 * is that failure's 5xx, and its message names the namespaces that did store: the application sends again,
 * and those namespaces see the event twice (at least once, never lost).
 */
export async function storeInNamespaces(
  mesh: IngressPort,
  namespaces: readonly string[],
  events: readonly CloudEvent[],
  parent?: Context,
): Promise<number> {
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
    throw new MeshError(
      code,
      `nothing was stored: ${refusals.length} of ${namespaces.length} bound namespace(s) cannot take events now (${refusals.map((r) => r.message).join('; ')})`,
    );
  }
  const results = await Promise.allSettled(
    brokers.map((broker) => mesh.ingest(broker, events, undefined, parent)),
  );
  const stored = brokers.filter((_, i) => results[i]?.status === 'fulfilled').map((b) => b.namespace);
  for (const result of results) {
    if (result.status !== 'rejected') continue;
    if (stored.length === 0 || !isMeshError(result.reason)) throw result.reason;
    const failure = result.reason;
    throw new MeshError(
      failure.code,
      `${failure.message}; stored in ${stored.join(', ')} before the failure: a retry delivers it there twice`,
      failure.details,
      { cause: failure },
    );
  }
  return brokers.length;
}
