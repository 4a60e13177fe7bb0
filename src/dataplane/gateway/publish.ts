/**
 * Fan-out of an application's events to the `default` broker of every namespace bound to it (ARCHITECTURE
 * 2.3). The binding is the permission: no other broker is ever written.
 */
import type { Context } from '@opentelemetry/api';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { MeshError } from '../../core/errors.js';
import type { Mesh } from '../mesh.js';

/** The part of the mesh the gateway uses. */
export type GatewayMesh = Pick<Mesh, 'broker' | 'ingest'>;

export const APPLICATION_BROKER = 'default';

/**
 * Stores `events` in the `default` broker of each namespace and resolves with how many there were, once all
 * of them have stored the events as durably as their backends promise. If any store fails, or a bound
 * namespace's broker is not running yet, it rejects (a 5xx), so the application sends again: delivery is
 * at least once, and the namespaces that did store the events may see them twice.
 */
export async function storeInNamespaces(
  mesh: GatewayMesh,
  namespaces: readonly string[],
  events: readonly CloudEvent[],
  parent?: Context,
): Promise<number> {
  // Every broker is looked up before anything is stored, so a namespace that cannot take the events yet does
  // not cause duplicates in the others.
  const brokers = namespaces.map((namespace) => {
    const broker = mesh.broker(namespace, APPLICATION_BROKER);
    if (!broker) {
      throw new MeshError(
        'MESH_BACKEND_UNAVAILABLE',
        `the ${APPLICATION_BROKER} broker of namespace ${namespace} is not running yet; retry later`,
      );
    }
    return broker;
  });
  const results = await Promise.allSettled(
    brokers.map((broker) => mesh.ingest(broker, events, undefined, parent)),
  );
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
  }
  return brokers.length;
}
