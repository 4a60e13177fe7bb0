import type { EventPredicate } from './types.js';

/** `not`: true when the nested filter is false. */
export function compileNot(filter: EventPredicate): EventPredicate {
  return (event) => !filter(event);
}
