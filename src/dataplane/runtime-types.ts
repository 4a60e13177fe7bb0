/** The live state of brokers and triggers in the data plane, as the reconciler last described them. */
import type { TriggerIndex } from '../core/filters/index.js';
import type { DeliveryPolicy } from '../core/delivery/index.js';
import type { PersistenceKind, BrokerStore } from '../store/contracts.js';
import type { BrokerHistory } from '../store/history.js';
import type { DeliveryOrder } from '../core/resources/index.js';
import type { Dispatcher } from './delivery/dispatcher.js';
import type { Target } from './delivery/sender.js';
import type { TailHub } from './tail.js';

export interface BrokerRuntime {
  readonly namespace: string;
  readonly name: string;
  /** The three below change together, only when the broker is migrated (Mesh.migrateBroker). */
  backend: PersistenceKind;
  store: BrokerStore;
  /** Where its delivery history is kept: the store's own, or the data plane's memory. */
  history: BrokerHistory;
  /** Appends under way; a migration waits for them before it reads what the store holds. */
  readonly appending: Set<Promise<void>>;
  readonly index: TriggerIndex<TriggerRuntime>;
  readonly tail: TailHub;
}

export interface TriggerRuntime {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly broker: BrokerRuntime;
  subscriber: Target;
  deadLetter: Target | undefined;
  policy: DeliveryPolicy;
  maxInflight: number;
  readonly deliveryOrder: DeliveryOrder;
  /** Knative's `filter_type` metric label: the trigger's exact `type` filter, or `any`. */
  filterType: string;
  /** Its subscriber loop is stopped; matching events still queue (the `eventing.cemesh.dev/paused` annotation). */
  paused: boolean;
  /** Extra headers of every delivery to the subscriber (`Prefer: reply`, `kn-namespace`), built once. */
  subscriberHeaders: Readonly<Record<string, string>>;
  /** The `type` the subscriber is sent instead of the stored one (a Kyma Subscription's clean type). */
  deliveredType: string | undefined;
  deadLetterHeaders: Readonly<Record<string, string>>;
  /** Replaced by an idle loop while paused (a stopped Dispatcher does not start again). */
  dispatcher: Dispatcher;
  /** Created when the trigger first has a sink (undefined until then); replaced only when the broker is migrated. */
  deadLetterDispatcher: Dispatcher | undefined;
}

/** The queue holding a trigger's events on their way to its dead-letter sink. */
export function deadLetterQueueId(triggerUid: string): string {
  return `${triggerUid}/dls`;
}
