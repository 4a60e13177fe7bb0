/**
 * One shared copy of attribute values that repeat from event to event (`specversion`, `type`, `source`,
 * `datacontenttype`). Every request brings fresh strings for them; an event held for replay or in a backlog
 * would keep its own copies (about 30 bytes each). Bounded: the table is emptied when full, so a stream of
 * ever-new values costs a lookup and nothing more.
 */
const MAX_VALUES = 4096;
const values = new Map<string, string>();

export function intern(value: string): string {
  const known = values.get(value);
  if (known !== undefined) return known;
  if (values.size >= MAX_VALUES) values.clear();
  values.set(value, value);
  return value;
}

/** The attributes whose values are interned: they usually take few distinct values. */
export const REPEATING_ATTRIBUTES: ReadonlySet<string> = new Set(['specversion', 'type', 'source']);
