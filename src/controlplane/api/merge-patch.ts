/** JSON Merge Patch, RFC 7396 section 2 (the algorithm is the RFC's MergePatch pseudo-code). */
import { setOwnKey } from '../../core/own-key.js';

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies `patch` to `target` without modifying either. A non-object patch replaces the target; `null`
 * members remove keys; object members merge recursively; arrays are replaced whole.
 */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = {};
  if (isObject(target)) for (const [key, value] of Object.entries(target)) setOwnKey(result, key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setOwnKey(result, key, applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}
