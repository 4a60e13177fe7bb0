/**
 * The per-kind pieces (validation, defaults, update rules), looked up by kind name. Each kind's folder holds
 * its own rules; this table is the one place that lists them.
 */
import type { FieldError } from '../errors.js';
import { validateApplication } from './application/validate.js';
import { validateApplicationMapping } from './applicationmapping/validate.js';
import { defaultBroker } from './broker/defaults.js';
import { validateBroker, validateBrokerUpdate } from './broker/validate.js';
import { validateConfigMap } from './configmap/validate.js';
import type { JsonObject } from './fields.js';
import { validateNamespace } from './namespace/validate.js';
import type { Resource } from './object.js';
import { defaultTrigger } from './trigger/defaults.js';
import { validateTrigger, validateTriggerUpdate } from './trigger/validate.js';
import { validateConfigMapUpdate } from './configmap/update.js';
import { validateFunction } from './function/validate.js';

export interface KindRules {
  /** Checks what is specific to the kind; metadata and type fields are checked before. */
  readonly validate: (object: JsonObject) => FieldError[];
  /** Applies defaults to a copy the caller owns, and returns it. */
  readonly defaults?: (object: Resource) => Resource;
  /** Fields that must not change on update. */
  readonly validateUpdate?: (previous: Resource, next: Resource) => FieldError[];
}

export const kindRules: Readonly<Record<string, KindRules>> = {
  Namespace: { validate: validateNamespace },
  ConfigMap: { validate: validateConfigMap, validateUpdate: validateConfigMapUpdate },
  Broker: { validate: validateBroker, defaults: defaultBroker, validateUpdate: validateBrokerUpdate },
  Trigger: { validate: validateTrigger, defaults: defaultTrigger, validateUpdate: validateTriggerUpdate },
  Application: { validate: validateApplication },
  ApplicationMapping: { validate: validateApplicationMapping },
  Function: { validate: validateFunction },
};
