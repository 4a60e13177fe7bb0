/** Namespace (`v1`, cluster-scoped): its entry, with its admission rules and conditions. */
import type { KindDefinition } from '../kind.js';
import { namespaceSchema } from './schema.js';
import { namespaceConditionSet } from './conditions.js';
import { validateNamespace } from './validate.js';
import { namespaceEntry } from './entry.js';

export const namespaceKind: KindDefinition = {
  ...namespaceEntry,
  schema: namespaceSchema,
  validate: validateNamespace,
  conditions: namespaceConditionSet,
};
