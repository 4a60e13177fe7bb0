/**
 * What event ingress needs of the mesh, and no more: the broker that may take events now (or the typed
 * refusal), and storing events in it. The broker ingress and the application gateway depend on this
 * interface, not on `Mesh`, so that their logic is tested with a fake (STYLE 2).
 */
import type { Context } from '@opentelemetry/api';
import type { CloudEvent } from '../../core/cloudevents/model.js';

export interface BrokerHandle {
  readonly namespace: string;
  readonly name: string;
}

export interface IngressPort {
  /**
   * The broker `namespace/name` if it may store events now; throws the refusal as a MeshError (not found,
   * not Ready, shutting down).
   */
  accepting(namespace: string, name: string): BrokerHandle;
  /**
   * Stores events in a broker `accepting` returned, all or nothing; resolves once stored as durably as its
   * backend promises. `ttl` is for replies; `parent` is the trace context that brought the events.
   */
  ingest(broker: BrokerHandle, events: readonly CloudEvent[], ttl?: number, parent?: Context): Promise<void>;
}
