/**
 * Kubernetes equality-based label selectors: `k=v` (or `k==v`), `k!=v`, `k` (exists), `!k` (absent);
 * requirements separated by commas must all hold. Set-based forms (`in`, `notin`) are not served.
 */
import { MeshError } from '../../core/errors.js';

export type Requirement =
  | { readonly op: 'eq' | 'neq'; readonly key: string; readonly value: string }
  | { readonly op: 'exists' | 'absent'; readonly key: string };

export type LabelSelector = readonly Requirement[];

// A label key: optional DNS-subdomain prefix and '/', then a name of alphanumerics, '-', '_', '.'.
const keyPattern = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Parses a selector; an empty or blank string selects everything. Throws MESH_REQUEST_INVALID. */
export function parseLabelSelector(text: string): LabelSelector {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => parseRequirement(part.trim(), text));
}

function parseRequirement(part: string, whole: string): Requirement {
  const match = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
  if (match) {
    const [, key = '', operator, value = ''] = match;
    checkKey(key, whole);
    if (!valuePattern.test(value)) {
      throw invalid(whole, `"${value}" is not a valid label value`);
    }
    return { op: operator === '!=' ? 'neq' : 'eq', key, value };
  }
  if (part.startsWith('!')) {
    const key = part.slice(1).trim();
    checkKey(key, whole);
    return { op: 'absent', key };
  }
  if (/\s(in|notin)\s*\(/.test(part)) {
    throw invalid(whole, 'set-based requirements (in, notin) are not supported; use k=v, k!=v, k or !k');
  }
  checkKey(part, whole);
  return { op: 'exists', key: part };
}

function checkKey(key: string, whole: string): void {
  if (!keyPattern.test(key)) throw invalid(whole, `"${key}" is not a valid label key`);
}

function invalid(selector: string, why: string): MeshError {
  return new MeshError('MESH_REQUEST_INVALID', `invalid labelSelector "${selector}": ${why}`);
}

/** True when every requirement holds for the given labels. */
export function matchesSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> = {},
): boolean {
  return selector.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'eq':
        return has && labels[r.key] === r.value;
      case 'neq':
        // Kubernetes: `k!=v` also selects objects without the label.
        return !has || labels[r.key] !== r.value;
      case 'exists':
        return has;
      case 'absent':
        return !has;
    }
  });
}
