/**
 * `config-br-defaults`, key `default-br-config`: Knative's broker defaults, YAML with a `clusterDefault`
 * entry and per-namespace `namespaceDefaults.<ns>` entries. An entry names a broker class, a ConfigMap
 * reference (inline KReference fields) and delivery options; newer Knative versions also nest entries per
 * class under `brokerClasses`. cemesh reads the reference to choose a broker's persistence (ARCHITECTURE 2.6).
 *
 * Unknown keys are refused: a misspelled key here would silently change where events are stored.
 */
import { validateDeliverySpec } from '../../delivery/index.js';
import { deliverySchema } from '../../delivery/schema.js';
import { fieldErrors } from '../schema.js';
import type { FieldError } from '../../errors.js';
import {
  checkOptionalString,
  child,
  describeType,
  fieldError,
  isAbsent,
  isObject,
  quote,
  type JsonObject,
} from '../fields.js';
import { dns1123LabelProblem } from '../names.js';
import { hasReferenceFields, validateConfigMapRef, type ConfigMapRef } from '../reference.js';
import { MT_CHANNEL_BASED_BROKER } from '../broker/types.js';
import { DEFAULT_BR_CONFIG_KEY } from './types.js';
import { parseYamlValue } from './yaml.js';

export interface BrokerDefaultsEntry {
  readonly brokerClass?: string;
  /** The referenced ConfigMap; an absent namespace means the broker's own. */
  readonly config?: ConfigMapRef;
  readonly delivery?: JsonObject;
  readonly brokerClasses?: Readonly<Record<string, BrokerDefaultsEntry>>;
}

export interface BrokerDefaults {
  readonly clusterDefault?: BrokerDefaultsEntry;
  readonly namespaceDefaults: Readonly<Record<string, BrokerDefaultsEntry>>;
}

export type BrokerDefaultsResult =
  | { readonly defaults: BrokerDefaults; readonly errors: readonly [] }
  | { readonly defaults?: undefined; readonly errors: readonly FieldError[] };

const TOP_LEVEL = new Set(['clusterDefault', 'namespaceDefaults']);
const ENTRY_FIELDS = new Set([
  'brokerClass',
  'apiVersion',
  'kind',
  'name',
  'namespace',
  'delivery',
  'brokerClasses',
]);

/** Parses and validates a `default-br-config` value; `path` is e.g. `data.default-br-config`. */
export function parseBrokerDefaults(text: string, path: string): BrokerDefaultsResult {
  const parsed = parseYamlValue(text, path);
  if ('error' in parsed) return { errors: [parsed.error] };
  const value = parsed.value;
  // An empty value configures nothing, as in Knative.
  if (isAbsent(value)) return { defaults: { namespaceDefaults: {} }, errors: [] };
  if (!isObject(value))
    return { errors: [fieldError(path, `must be a YAML mapping, not ${describeType(value)}`)] };
  const errors: FieldError[] = [];
  for (const name of Object.keys(value)) {
    if (!TOP_LEVEL.has(name)) {
      errors.push(
        fieldError(child(path, name), 'unknown field; expected clusterDefault or namespaceDefaults'),
      );
    }
  }
  const clusterDefault = isAbsent(value.clusterDefault)
    ? undefined
    : readEntry(value.clusterDefault, child(path, 'clusterDefault'), true, errors);
  const namespaceDefaults: Record<string, BrokerDefaultsEntry> = {};
  const perNamespace = value.namespaceDefaults;
  const perNamespacePath = child(path, 'namespaceDefaults');
  if (!isAbsent(perNamespace)) {
    if (!isObject(perNamespace)) {
      errors.push(
        fieldError(
          perNamespacePath,
          `must be a mapping of namespace to defaults, not ${describeType(perNamespace)}`,
        ),
      );
    } else {
      for (const [namespace, entry] of Object.entries(perNamespace)) {
        const entryPath = child(perNamespacePath, namespace);
        const problem = dns1123LabelProblem(namespace);
        if (problem !== undefined)
          errors.push(fieldError(entryPath, `namespace ${quote(namespace)} ${problem}`));
        const read = readEntry(entry, entryPath, true, errors);
        if (read !== undefined) namespaceDefaults[namespace] = read;
      }
    }
  }
  if (errors.length > 0) return { errors };
  return {
    defaults: clusterDefault === undefined ? { namespaceDefaults } : { clusterDefault, namespaceDefaults },
    errors: [],
  };
}

function readEntry(
  value: unknown,
  path: string,
  topLevel: boolean,
  errors: FieldError[],
): BrokerDefaultsEntry | undefined {
  if (!isObject(value)) {
    errors.push(fieldError(path, `must be a mapping, not ${describeType(value)}`));
    return undefined;
  }
  for (const name of Object.keys(value)) {
    const known =
      ENTRY_FIELDS.has(name) && (topLevel || (name !== 'brokerClass' && name !== 'brokerClasses'));
    if (!known)
      errors.push(
        fieldError(child(path, name), `unknown field; expected one of ${entryFieldList(topLevel)}`),
      );
  }
  const entry: { -readonly [K in keyof BrokerDefaultsEntry]: BrokerDefaultsEntry[K] } = {};
  if (topLevel && checkOptionalString(value.brokerClass, child(path, 'brokerClass'), errors)) {
    if (value.brokerClass !== MT_CHANNEL_BASED_BROKER) {
      errors.push(
        fieldError(
          child(path, 'brokerClass'),
          `${quote(value.brokerClass)} is not a broker class cemesh serves; use ${MT_CHANNEL_BASED_BROKER}`,
        ),
      );
    }
    entry.brokerClass = value.brokerClass;
  }
  if (hasReferenceFields(value)) {
    validateConfigMapRef(value, path, errors);
    const { apiVersion, kind, name, namespace } = value;
    if (typeof apiVersion === 'string' && typeof kind === 'string' && typeof name === 'string') {
      entry.config =
        typeof namespace === 'string' && namespace !== ''
          ? { apiVersion, kind, name, namespace }
          : { apiVersion, kind, name };
    }
  }
  if (!isAbsent(value.delivery)) {
    const deliveryPath = child(path, 'delivery');
    errors.push(...fieldErrors(value.delivery, deliverySchema, deliveryPath));
    errors.push(...validateDeliverySpec(value.delivery, deliveryPath));
    if (isObject(value.delivery)) entry.delivery = value.delivery;
  }
  if (topLevel && !isAbsent(value.brokerClasses)) {
    const classesPath = child(path, 'brokerClasses');
    if (!isObject(value.brokerClasses)) {
      errors.push(
        fieldError(
          classesPath,
          `must be a mapping of broker class to defaults, not ${describeType(value.brokerClasses)}`,
        ),
      );
    } else {
      const classes: Record<string, BrokerDefaultsEntry> = {};
      // Entries for classes cemesh does not serve are accepted and never used, so that Knative's shared
      // configuration applies unchanged.
      for (const [brokerClass, classEntry] of Object.entries(value.brokerClasses)) {
        const read = readEntry(classEntry, child(classesPath, brokerClass), false, errors);
        if (read !== undefined) classes[brokerClass] = read;
      }
      entry.brokerClasses = classes;
    }
  }
  return entry;
}

function entryFieldList(topLevel: boolean): string {
  const fields = [...ENTRY_FIELDS].filter((f) => topLevel || (f !== 'brokerClass' && f !== 'brokerClasses'));
  return fields.join(', ');
}

/**
 * The ConfigMap an entry points MTChannelBasedBroker brokers at: the entry for that class under
 * `brokerClasses` when it names one, otherwise the entry's own reference.
 */
export function entryConfig(entry: BrokerDefaultsEntry): ConfigMapRef | undefined {
  return entry.brokerClasses?.[MT_CHANNEL_BASED_BROKER]?.config ?? entry.config;
}

/** The delivery options an entry gives MTChannelBasedBroker brokers, chosen as `entryConfig` chooses. */
export function entryDelivery(entry: BrokerDefaultsEntry): JsonObject | undefined {
  return entry.brokerClasses?.[MT_CHANNEL_BASED_BROKER]?.delivery ?? entry.delivery;
}

/** The entries that apply to a broker in `namespace`, first match wins, each with its name for messages. */
export function entriesFor(
  defaults: BrokerDefaults,
  namespace: string,
): [name: string, entry: BrokerDefaultsEntry | undefined][] {
  return [
    [`namespaceDefaults.${namespace}`, defaults.namespaceDefaults[namespace]],
    ['clusterDefault', defaults.clusterDefault],
  ];
}

/**
 * `parseBrokerDefaults` of a stored ConfigMap's text, remembering the last one: every broker's persistence
 * and every trigger's delivery read the same text, and 10,000 triggers reconciled at start would otherwise
 * parse its YAML 10,000 times. The result is shared, so callers only read it.
 */
let lastParsed: { readonly text: string; readonly result: BrokerDefaultsResult } | undefined;

export function parseStoredBrokerDefaults(text: string): BrokerDefaultsResult {
  if (lastParsed?.text !== text)
    lastParsed = { text, result: parseBrokerDefaults(text, `data.${DEFAULT_BR_CONFIG_KEY}`) };
  return lastParsed.result;
}
