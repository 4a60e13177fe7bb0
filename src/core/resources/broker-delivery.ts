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
import { brokerSpec, MT_CHANNEL_BASED_BROKER } from './broker/types.js';
import {
  parseBrokerDefaults,
  type BrokerDefaults,
  type BrokerDefaultsEntry,
} from './configmap/broker-defaults.js';
import { CONFIG_BR_DEFAULTS, DEFAULT_BR_CONFIG_KEY, KNATIVE_EVENTING_NAMESPACE } from './configmap/types.js';
import { defaultDeliveryNamespaces } from './destination-defaults.js';
import type { Resource } from './object.js';

export function brokerDelivery(
  broker: Resource,
  configMap: (namespace: string, name: string) => Resource | undefined,
): DeliverySpec | undefined {
  const own = brokerSpec(broker).delivery;
  if (own !== undefined) return own;
  const text = configMap(KNATIVE_EVENTING_NAMESPACE, CONFIG_BR_DEFAULTS)?.data?.[DEFAULT_BR_CONFIG_KEY];
  if (text === undefined) return undefined;
  const defaults = parsedDefaults(text);
  if (defaults === undefined) return undefined;
  const namespace = broker.metadata.namespace ?? 'default';
  const found =
    entryDelivery(defaults.namespaceDefaults[namespace]) ?? entryDelivery(defaults.clusterDefault);
  // A dead-letter sink ref without a namespace points into the broker's namespace, as on the broker itself.
  return found === undefined ? undefined : (defaultDeliveryNamespaces(found, namespace) as DeliverySpec);
}

/**
 * The last text parsed and its result: every trigger of every broker asks for the same ConfigMap text, and
 * 10,000 triggers reconciled at start would otherwise parse its YAML 10,000 times.
 */
let lastParsed: { readonly text: string; readonly defaults: BrokerDefaults | undefined } | undefined;

function parsedDefaults(text: string): BrokerDefaults | undefined {
  if (lastParsed?.text !== text) {
    lastParsed = { text, defaults: parseBrokerDefaults(text, `data.${DEFAULT_BR_CONFIG_KEY}`).defaults };
  }
  return lastParsed.defaults;
}

function entryDelivery(entry: BrokerDefaultsEntry | undefined): object | undefined {
  return entry?.brokerClasses?.[MT_CHANNEL_BASED_BROKER]?.delivery ?? entry?.delivery;
}
