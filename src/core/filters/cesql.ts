/**
 * The `cesql` filter dialect (Knative SubscriptionsAPI, CESQL v1), on the engine in src/core/cesql.
 *
 * CESQL v1 section 1.2: used as a filter, an expression passes an event only when its value is the Boolean
 * `true` and no error occurred. An evaluation error therefore means no match (ARCHITECTURE section 3), and is
 * handed to `onError` so that it is seen rather than silently swallowed. Admission compiles the expression,
 * so an invalid filter is refused with the parser's message (position and what was expected).
 */
import { compileCesql, compileCesqlPredicate, findUnknownFunction, isCesqlError } from '../cesql/index.js';
import type { CloudEvent } from '../cloudevents/model.js';

/** The error message for an invalid `cesql` filter value, or undefined when it is valid. */
export function validateCesqlFilter(expression: unknown): string | undefined {
  if (typeof expression !== 'string') return 'must be a string holding a CESQL expression';
  try {
    compileCesql(expression);
    return findUnknownFunction(expression);
  } catch (error) {
    if (isCesqlError(error)) return error.message;
    throw error;
  }
}

/**
 * Compiles a validated CESQL expression into a predicate; `onError` hears evaluation errors (which mean
 * "no match"). Throws a CesqlError for an expression that validation would have refused.
 */
export function compileCesqlFilter(
  expression: string,
  onError?: (error: Error) => void,
): (event: CloudEvent) => boolean {
  return compileCesqlPredicate(expression, onError === undefined ? {} : { onError });
}
