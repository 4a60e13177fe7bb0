/**
 * YAML manifests in the editor: parsed into objects, and a field path from the API's 422 causes
 * (`spec.filters[1].cesql`, `metadata.annotations[eventing.cemesh.dev/paused]`) mapped back to the line
 * of the YAML that holds that field, so the error is shown where it is. Pure (no DOM).
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';

export interface LineMessage {
  /** 1-based line of the editor text. */
  readonly line: number;
  readonly message: string;
}

export interface Manifest {
  readonly object: unknown;
  readonly document: Document.Parsed;
  /** The line the document starts on (1-based). */
  readonly line: number;
}

export interface ParsedManifests {
  readonly manifests: readonly Manifest[];
  /** YAML syntax errors; when any, nothing is applied. */
  readonly errors: readonly LineMessage[];
  readonly lines: LineCounter;
}

export function parseManifests(text: string): ParsedManifests {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(documents)) return { manifests: [], errors: [], lines };
  const errors: LineMessage[] = [];
  const manifests: Manifest[] = [];
  for (const document of documents) {
    for (const error of document.errors) {
      errors.push({ line: lines.linePos(error.pos[0]).line, message: error.message.split('\n')[0] ?? '' });
    }
    const object: unknown = document.toJS();
    if (object === null || object === undefined) continue;
    const start = document.contents?.range[0] ?? 0;
    manifests.push({ object, document, line: lines.linePos(start).line });
  }
  return { manifests, errors, lines };
}

/** `spec.filters[1].cesql` -> ['spec', 'filters', 1, 'cesql']; a bracketed key stays whole. */
export function fieldSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (let match = pattern.exec(path); match !== null; match = pattern.exec(path)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (/^\d+$/.test(match[2] ?? '')) segments.push(Number(match[2]));
    else segments.push(match[2] ?? '');
  }
  return segments;
}

/**
 * The line of the deepest part of `path` the document has: the key's line for a map entry, the item's for
 * a list element. A required field that is missing points at its parent.
 */
export function lineOfField(manifest: Manifest, lines: LineCounter, path: string): number {
  let node: Node | null | undefined = manifest.document.contents;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of fieldSegments(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) break;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return lines.linePos(offset).line;
}
