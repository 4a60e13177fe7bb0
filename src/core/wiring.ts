/**
 * How the control plane describes brokers and triggers to the data plane: the reconciler builds these from
 * resources, the data plane's Mesh runs them. Kept in core so both sides share one definition without
 * importing each other (ARCHITECTURE 4).
 */
import type { DeliverySpec } from './delivery/index.js';
import type { TriggerFilterSpec } from './filters/index.js';
import type { DeliveryOrder, PersistenceKind } from './resources/index.js';

export interface BrokerWiring {
  readonly namespace: string;
  readonly name: string;
  readonly backend: PersistenceKind;
}

export interface TriggerWiring {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly broker: string;
  readonly filter: TriggerFilterSpec;
  readonly subscriberUri: string;
  readonly deadLetterUri: string | undefined;
  /** The effective delivery spec: the trigger's, else the broker's (no field merge). */
  readonly delivery: DeliverySpec | undefined;
  readonly maxInflight: number;
  /** `ordered`: events of one partition key are delivered one after another, in the order accepted. */
  readonly deliveryOrder: DeliveryOrder;
  /** Delivery to the subscriber stops; matching events still queue and are delivered on resume. */
  readonly paused: boolean;
}
