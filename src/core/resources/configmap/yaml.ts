/**
 * Parsing YAML held in a ConfigMap value. Knative keeps nested configuration as YAML text inside `data`;
 * errors are reported at the data key's path with the parser's own description.
 */
import { yaml } from '../../lazy-yaml.js';
import type { FieldError } from '../../errors.js';
import { fieldError } from '../fields.js';

export type YamlResult = { readonly value: unknown } | { readonly error: FieldError };

export function parseYamlValue(text: string, path: string): YamlResult {
  const document = yaml().parseDocument(text, { prettyErrors: false });
  const first = document.errors[0];
  if (first !== undefined) {
    return {
      error: fieldError(path, `is not valid YAML (${position(text, first.pos[0])}): ${first.message}`),
    };
  }
  return { value: document.toJS() as unknown };
}

/** `line L, column C` (1-based) of a character offset, for messages about the value's own lines. */
function position(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
