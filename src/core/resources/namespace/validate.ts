import type { FieldError } from '../../errors.js';
import { fieldError, key, quote, type JsonObject } from '../fields.js';
import { annotationOf } from '../metadata.js';
import { isPersistenceKind, persistenceKinds } from '../persistence-kind.js';
import { PERSISTENCE_ANNOTATION } from './types.js';

/** Namespace rules beyond metadata: the persistence annotation names a backend. */
export function validateNamespace(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const persistence = annotationOf(object.metadata, PERSISTENCE_ANNOTATION);
  if (persistence !== undefined && !isPersistenceKind(persistence)) {
    errors.push(
      fieldError(
        key('metadata.annotations', PERSISTENCE_ANNOTATION),
        `${quote(persistence)} is not a persistence; use one of ${persistenceKinds.join(', ')}`,
      ),
    );
  }
  return errors;
}
