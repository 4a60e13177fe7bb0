/**
 * The delivery options that apply to a broker's triggers when a trigger sets none (a trigger's own
 * `spec.delivery` replaces them whole): the broker's `spec.delivery`, else the `delivery` of
 * `knative-eventing/config-br-defaults`, as Knative's broker defaulting fills in a broker created without
 * one. The broker namespace's `namespaceDefaults` entry comes before `clusterDefault`; within an entry its
 * `brokerClasses.MTChannelBasedBroker` entry comes before its own `delivery`.
 *
 * Unlike Knative, which copies the defaults into the broker once at creation, cemesh reads them whenever the
 * broker's triggers are reconciled, so a changed ConfigMap reaches brokers that set no delivery of their own
 * (see docs/resources.md). An invalid ConfigMap contributes nothing: persistence selection already reports it
 * on the broker, whose triggers are then not Ready.
 */
import type { DeliverySpec } from '../delivery/index.js';
import { brokerSpec } from './broker/types.js';
import { entriesFor, entryDelivery, parseStoredBrokerDefaults } from './configmap/broker-defaults.js';
import { CONFIG_BR_DEFAULTS, DEFAULT_BR_CONFIG_KEY, KNATIVE_EVENTING_NAMESPACE } from './configmap/types.js';
import { defaultDeliveryNamespaces } from './destination-defaults.js';
import type { Resource } from './object.js';
import { namespaceOrDefault } from './defaults.js';

export function brokerDelivery(
  broker: Resource,
  configMap: (namespace: string, name: string) => Resource | undefined,
): DeliverySpec | undefined {
  const own = brokerSpec(broker).delivery;
  if (own !== undefined) return own;
  const text = configMap(KNATIVE_EVENTING_NAMESPACE, CONFIG_BR_DEFAULTS)?.data?.[DEFAULT_BR_CONFIG_KEY];
  if (text === undefined) return undefined;
  const { defaults } = parseStoredBrokerDefaults(text);
  if (defaults === undefined) return undefined;
  const namespace = namespaceOrDefault(broker.metadata.namespace);
  for (const [, entry] of entriesFor(defaults, namespace)) {
    const found = entry === undefined ? undefined : entryDelivery(entry);
    // A dead-letter sink ref without a namespace points into the broker's namespace, as on the broker itself.
    if (found !== undefined) return defaultDeliveryNamespaces(found, namespace) as DeliverySpec;
  }
  return undefined;
}
