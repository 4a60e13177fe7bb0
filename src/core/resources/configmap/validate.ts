import type { FieldError } from '../../errors.js';
import {
  checkOptionalBoolean,
  child,
  describeType,
  fieldError,
  isAbsent,
  isObject,
  quote,
  type JsonObject,
} from '../fields.js';
import { configMapKeyProblem } from '../names.js';
import { AUTHORIZATION_MODE_KEY, authorizationModeProblem, CONFIG_FEATURES } from '../../authz/mode.js';
import { parseBrokerDefaults } from './broker-defaults.js';
import { parseChannelTemplate } from './channel-template.js';
import { CHANNEL_TEMPLATE_KEY, CONFIG_BR_DEFAULTS, DEFAULT_BR_CONFIG_KEY } from './types.js';

/**
 * ConfigMap rules beyond metadata: `data` (and `binaryData`) are maps of valid keys to strings, no key is in
 * both, and the Knative configuration values cemesh reads are valid YAML of the right shape.
 */
export function validateConfigMap(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const data = readStringMap(object.data, 'data', errors);
  const binaryData = readStringMap(object.binaryData, 'binaryData', errors);
  for (const name of Object.keys(binaryData)) {
    if (name in data) errors.push(fieldError(child('binaryData', name), 'duplicates a key of data'));
  }
  checkOptionalBoolean(object.immutable, 'immutable', errors);
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const brokerDefaults = data[DEFAULT_BR_CONFIG_KEY];
  if (metadata.name === CONFIG_BR_DEFAULTS && brokerDefaults !== undefined) {
    errors.push(...parseBrokerDefaults(brokerDefaults, child('data', DEFAULT_BR_CONFIG_KEY)).errors);
  }
  const mode = data[AUTHORIZATION_MODE_KEY];
  if (metadata.name === CONFIG_FEATURES && mode !== undefined) {
    const problem = authorizationModeProblem(mode);
    if (problem !== undefined) errors.push(fieldError(child('data', AUTHORIZATION_MODE_KEY), problem));
  }
  const channelTemplate = data[CHANNEL_TEMPLATE_KEY];
  if (channelTemplate !== undefined) {
    errors.push(...parseChannelTemplate(channelTemplate, child('data', CHANNEL_TEMPLATE_KEY)).errors);
  }
  return errors;
}

/** Checks a string map with ConfigMap keys; returns its valid string entries. */
function readStringMap(value: unknown, path: string, errors: FieldError[]): Record<string, string> {
  const entries: Record<string, string> = {};
  if (isAbsent(value)) return entries;
  if (!isObject(value)) {
    errors.push(fieldError(path, `must be a mapping of keys to strings, not ${describeType(value)}`));
    return entries;
  }
  for (const [name, entry] of Object.entries(value)) {
    const entryPath = child(path, name);
    const problem = configMapKeyProblem(name);
    if (problem !== undefined) errors.push(fieldError(entryPath, `key ${quote(name)} ${problem}`));
    if (typeof entry === 'string') entries[name] = entry;
    else errors.push(fieldError(entryPath, `must be a string, not ${describeType(entry)}`));
  }
  return entries;
}
