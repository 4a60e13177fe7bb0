/**
 * Sets `key` as an own, enumerable, writable data property of `target`. Plain assignment does that for every
 * key but `__proto__` (which JSON.parse makes an own key), where it would change the prototype instead.
 */
export function setOwnKey(target: object, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}
