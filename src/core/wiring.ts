/**
 * How the control plane describes brokers, triggers and functions to the data plane: the reconciler builds these from
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

/** What a broker migration moved (docs/decisions/broker-migration.md). */
export interface BrokerMigration {
  readonly from: PersistenceKind;
  readonly to: PersistenceKind;
  /** Events moved: each had at least one pending delivery. */
  readonly events: number;
  /** Pending deliveries moved (an event matched by two triggers counts twice). */
  readonly deliveries: number;
  /** Of those, deliveries attempted before (a retry in flight or waiting): their attempt count moved too. */
  readonly retries: number;
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

/** What the reconciler asks the function host to run: a Function's spec, resolved (env values read). */
export interface FunctionWiring {
  readonly namespace: string;
  readonly name: string;
  /** `nodejs20` or `nodejs22`; shown to the function as `context.runtime` and FUNC_RUNTIME. */
  readonly runtime: string;
  readonly source: string;
  /** The package.json text of `spec.source.inline.dependencies`, or undefined. */
  readonly dependencies: string | undefined;
  /** `spec.env` with every `valueFrom` resolved. */
  readonly env: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly memoryMb: number;
}

/** The state the host reports for a Function's BuildReady and Running conditions. */
export interface FunctionCondition {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message?: string;
}

export interface FunctionState {
  readonly build: FunctionCondition;
  readonly running: FunctionCondition;
  /** Replicas currently serving. */
  readonly readyReplicas: number;
}
