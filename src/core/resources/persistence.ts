/**
 * Which backend a broker's events live in (ARCHITECTURE 2.6), first match wins:
 * 0. the broker's own `eventing.cemesh.dev/persistence` annotation;
 * 1. the broker's `spec.config`: a ConfigMap whose `channel-template-spec` names the channel kind;
 * 2. the namespace's `eventing.cemesh.dev/persistence` annotation;
 * 3. `knative-eventing/config-br-defaults`: the broker namespace's `namespaceDefaults` entry, then
 *    `clusterDefault`, each referring to a ConfigMap with a `channel-template-spec`;
 * 4. the server's default (`--backend`).
 * A reference that cannot be followed is an error naming what is missing, never a silent fall-through: the
 * user asked for that configuration, and storing events elsewhere would not be what they asked.
 */
import { MT_CHANNEL_BASED_BROKER, brokerPersistence, brokerSpec } from './broker/types.js';
import { entriesFor, entryConfig, parseStoredBrokerDefaults } from './configmap/broker-defaults.js';
import { parseChannelTemplate } from './configmap/channel-template.js';
import {
  CHANNEL_TEMPLATE_KEY,
  CONFIG_BR_DEFAULTS,
  DEFAULT_BR_CONFIG_KEY,
  KNATIVE_EVENTING_NAMESPACE,
} from './configmap/types.js';
import { namespacePersistence, PERSISTENCE_ANNOTATION } from './namespace/types.js';
import type { Resource } from './object.js';
import type { PersistenceKind } from './persistence-kind.js';
import type { ConfigMapRef } from './reference.js';

export interface PersistenceInput {
  readonly broker: Resource;
  readonly namespace: Resource | undefined;
  /** Looks up a stored ConfigMap. */
  readonly configMap: (namespace: string, name: string) => Resource | undefined;
  readonly serverDefault: PersistenceKind;
}

export type PersistenceResult = { kind: PersistenceKind; source: string } | { error: string };

export function resolvePersistence(input: PersistenceInput): PersistenceResult {
  const { broker, configMap } = input;
  const brokerNamespace = broker.metadata.namespace ?? '';
  const own = brokerPersistence(broker);
  if (own !== undefined) return { kind: own, source: `Broker annotation ${PERSISTENCE_ANNOTATION}` };
  const config = brokerSpec(broker).config;
  if (config !== undefined) return fromConfigMap(config, brokerNamespace, configMap, 'spec.config');

  const annotated = input.namespace === undefined ? undefined : namespacePersistence(input.namespace);
  if (annotated !== undefined) {
    return { kind: annotated, source: `Namespace ${brokerNamespace} annotation ${PERSISTENCE_ANNOTATION}` };
  }

  const defaultsMap = configMap(KNATIVE_EVENTING_NAMESPACE, CONFIG_BR_DEFAULTS);
  const defaultsText = defaultsMap?.data?.[DEFAULT_BR_CONFIG_KEY];
  if (defaultsText !== undefined) {
    const where = `ConfigMap ${KNATIVE_EVENTING_NAMESPACE}/${CONFIG_BR_DEFAULTS}`;
    const parsed = parseStoredBrokerDefaults(defaultsText);
    if (parsed.defaults === undefined)
      return { error: `${where} is invalid: ${describeErrors(parsed.errors)}` };
    for (const [entryName, entry] of entriesFor(parsed.defaults, brokerNamespace)) {
      const reference = entry === undefined ? undefined : entryConfig(entry);
      // An entry may set only a class or delivery options; it then says nothing about persistence.
      if (reference !== undefined) {
        return fromConfigMap(reference, brokerNamespace, configMap, `${where} ${entryName}`);
      }
    }
  }
  return { kind: input.serverDefault, source: 'server default' };
}

function fromConfigMap(
  reference: ConfigMapRef,
  brokerNamespace: string,
  configMap: PersistenceInput['configMap'],
  referrer: string,
): PersistenceResult {
  const namespace =
    reference.namespace !== undefined && reference.namespace !== '' ? reference.namespace : brokerNamespace;
  const name = `ConfigMap ${namespace}/${reference.name}`;
  if (reference.kind !== 'ConfigMap') {
    return {
      error: `${referrer} refers to a ${reference.kind}; cemesh reads broker configuration from ConfigMaps`,
    };
  }
  const found = configMap(namespace, reference.name);
  if (found === undefined) return { error: `${name} (named by ${referrer}) does not exist` };
  const template = found.data?.[CHANNEL_TEMPLATE_KEY];
  if (template === undefined) {
    return {
      error: `${name} (named by ${referrer}) has no ${CHANNEL_TEMPLATE_KEY}; a ${MT_CHANNEL_BASED_BROKER} config names its channel kind there`,
    };
  }
  const parsed = parseChannelTemplate(template, `data.${CHANNEL_TEMPLATE_KEY}`);
  if (parsed.persistence === undefined)
    return { error: `${name} is invalid: ${describeErrors(parsed.errors)}` };
  return { kind: parsed.persistence, source: name };
}

function describeErrors(errors: readonly { field: string; message: string }[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
