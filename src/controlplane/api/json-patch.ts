/**
 * JSON Patch (RFC 6902) over JSON Pointers (RFC 6901): `add`, `remove`, `replace`, `move`, `copy` and
 * `test`, applied in order to a copy of the document; the first operation that cannot apply fails the whole
 * patch and nothing is changed. Pure. `parseJsonPatch` checks the patch's shape (a malformed patch is the
 * client's syntax error, 400); `applyJsonPatch` throws JsonPatchError when an operation does not apply to
 * this document (422, as Kubernetes answers).
 */
import { isDeepStrictEqual } from 'node:util';
import { setOwnKey } from '../../core/own-key.js';

export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

/** The patch is well formed but an operation does not apply to the document. */
export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
}

/** The patch is not an RFC 6902 document. */
export class JsonPatchSyntaxError extends Error {
  override readonly name = 'JsonPatchSyntaxError';
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Checks that `value` is an array of operations with the members each needs; throws JsonPatchSyntaxError. */
export function parseJsonPatch(value: unknown): JsonPatchOperation[] {
  if (!Array.isArray(value)) throw new JsonPatchSyntaxError('a JSON patch must be an array of operations');
  return value.map((entry: unknown, i) => {
    const where = `operation ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new JsonPatchSyntaxError(`${where} must be an object`);
    const operation = entry as Record<string, unknown>;
    const op = operation.op;
    if (typeof op !== 'string' || !OPS.has(op))
      throw new JsonPatchSyntaxError(
        `${where}: "op" must be one of add, remove, replace, move, copy, test, not ${JSON.stringify(op)}`,
      );
    const path = pointer(operation.path, `${where} (${op}): "path"`);
    if (op === 'remove') return { op, path };
    if (op === 'move' || op === 'copy')
      return { op, from: pointer(operation.from, `${where} (${op}): "from"`), path };
    if (!Object.hasOwn(operation, 'value'))
      throw new JsonPatchSyntaxError(`${where} (${op}) needs a "value"`);
    return { op: op as 'add' | 'replace' | 'test', path, value: operation.value };
  });
}

function pointer(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new JsonPatchSyntaxError(`${what} must be a string`);
  if (value !== '' && !value.startsWith('/'))
    throw new JsonPatchSyntaxError(
      `${what} ${JSON.stringify(value)} is not a JSON pointer (it must start with "/")`,
    );
  if (/~[^01]|~$/.test(value))
    throw new JsonPatchSyntaxError(`${what} ${JSON.stringify(value)}: "~" must be followed by 0 or 1`);
  return value;
}

/** The document after every operation; `document` is not changed. */
export function applyJsonPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let result = structuredClone(document);
  for (const [i, operation] of operations.entries()) {
    try {
      result = applyOne(result, operation);
    } catch (error) {
      if (error instanceof JsonPatchError)
        throw new JsonPatchError(`operation ${i} (${operation.op} ${operation.path}): ${error.message}`);
      throw error;
    }
  }
  return result;
}

function applyOne(document: unknown, operation: JsonPatchOperation): unknown {
  switch (operation.op) {
    case 'add':
      return add(document, operation.path, structuredClone(operation.value));
    case 'remove':
      return remove(document, operation.path).document;
    case 'replace':
      return add(remove(document, operation.path).document, operation.path, structuredClone(operation.value));
    case 'move': {
      if (operation.path.startsWith(`${operation.from}/`))
        throw new JsonPatchError(`cannot move ${operation.from} into one of its own children`);
      const taken = remove(document, operation.from);
      return add(taken.document, operation.path, taken.value);
    }
    case 'copy':
      return add(document, operation.path, structuredClone(read(document, operation.from)));
    case 'test': {
      const found = read(document, operation.path);
      if (!isDeepStrictEqual(found, operation.value))
        throw new JsonPatchError(`test failed: the value is ${JSON.stringify(found)}`);
      return document;
    }
  }
}

function tokens(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** The container the last token of `path` is in, and that token. */
function parentOf(document: unknown, path: string): { parent: Container; last: string } {
  const parts = tokens(path);
  const last = parts.pop() ?? '';
  let parent: unknown = document;
  for (const part of parts) parent = child(parent, part);
  if (typeof parent !== 'object' || parent === null)
    throw new JsonPatchError(`${path}: the parent is not an object or array`);
  return { parent: parent as Container, last };
}

function child(value: unknown, token: string): unknown {
  if (Array.isArray(value)) return value[existingIndex(value, token)];
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, token))
    return (value as Record<string, unknown>)[token];
  throw new JsonPatchError(`no member ${JSON.stringify(token)}`);
}

function read(document: unknown, path: string): unknown {
  let value = document;
  for (const token of tokens(path)) value = child(value, token);
  return value;
}

function add(document: unknown, path: string, value: unknown): unknown {
  if (path === '') return value;
  const { parent, last } = parentOf(document, path);
  if (Array.isArray(parent)) {
    const at = last === '-' ? parent.length : index(last);
    if (at > parent.length) throw new JsonPatchError(`index ${at} is past the end of the array`);
    parent.splice(at, 0, value);
  } else {
    setOwnKey(parent as object, last, value);
  }
  return document;
}

function remove(document: unknown, path: string): { document: unknown; value: unknown } {
  if (path === '') return { document: null, value: document };
  const { parent, last } = parentOf(document, path);
  if (Array.isArray(parent)) {
    const [value] = parent.splice(existingIndex(parent, last), 1);
    return { document, value };
  }
  if (!Object.hasOwn(parent, last)) throw new JsonPatchError(`no member ${JSON.stringify(last)}`);
  const value = parent[last];
  delete parent[last];
  return { document, value };
}

function index(token: string): number {
  if (!/^(0|[1-9]\d*)$/.test(token))
    throw new JsonPatchError(`${JSON.stringify(token)} is not an array index`);
  return Number(token);
}

function existingIndex(array: readonly unknown[], token: string): number {
  const at = index(token);
  if (at >= array.length) throw new JsonPatchError(`index ${at} is past the end of the array`);
  return at;
}
