/**
 * What the reconciler asks of the data plane. Defined here, implemented by the data plane's Mesh (brokers,
 * triggers) and the gateway's application registry, connected by the server, so the control plane never
 * imports the data plane.
 */
import type {
  BrokerMigration,
  BrokerWiring,
  FunctionState,
  FunctionWiring,
  TriggerWiring,
} from '../../core/wiring.js';

export type { TriggerWiring };

export interface DataPlane {
  /** Opens the broker's store on the backend; rejects when the backend is unavailable. */
  ensureBroker(broker: BrokerWiring): Promise<unknown>;
  removeBroker(namespace: string, name: string): Promise<void>;
  /**
   * Moves an open broker's pending events and retry state to another backend and says what it moved;
   * rejects, leaving the broker where it was, when that cannot be done.
   */
  migrateBroker(namespace: string, name: string, to: BrokerWiring['backend']): Promise<BrokerMigration>;
  /**
   * The broker's Ready condition: `undefined` when Ready, else "Reason: message". Ingress and the gateway
   * refuse a broker that is not Ready (503) rather than acknowledge events no trigger would get.
   */
  setBrokerReadiness(namespace: string, name: string, notReady: string | undefined): void;
  ensureTrigger(trigger: TriggerWiring): Promise<void>;
  removeTrigger(uid: string, options: { drop: boolean }): Promise<void>;
  /** Lets an application's events into the namespace's `default` broker (the binding is the permission). */
  bindApplication(application: string, namespace: string): void;
  /** Stops an application's events reaching the namespace, from the next request on. */
  unbindApplication(application: string, namespace: string): void;
  /** Sets an application's token digest (lower-case hex SHA-256), or revokes its token with undefined. */
  setApplicationTokenHash(application: string, hash: string | undefined): void;
  /** Starts or updates a hosted function in the background (its state says how far it got). */
  ensureFunction(fn: FunctionWiring): void;
  removeFunction(namespace: string, name: string): Promise<void>;
  /** What the function host reports for BuildReady and Running; undefined when it runs no such function. */
  functionState(namespace: string, name: string): FunctionState | undefined;
}
