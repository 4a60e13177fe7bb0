/**
 * Reading manifests for `apply -f` and `delete -f`: files, directories (their .yaml, .yml and .json files)
 * or `-` for standard input; multi-document YAML or JSON; `kind: List` and top-level arrays expand to their
 * items. Syntax errors name the file, document and line, and stop the command before anything is sent.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { yaml } from '../core/lazy-yaml.js';
import { readPlainYaml } from './plain-yaml.js';
import type { Resource } from '../controlplane/client/index.js';
import type { Context } from './context.js';

export interface Manifest {
  /** Where it came from, for messages: `file.yaml` (document 2). */
  readonly origin: string;
  readonly object: Resource;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export async function readManifests(context: Context, files: readonly string[]): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const file of files) {
    for (const path of await expand(context, file)) {
      const text = path === '-' ? await readStdin(context) : await readFile(context.path(path), 'utf8');
      manifests.push(...parseManifests(text, path === '-' ? 'standard input' : path));
    }
  }
  return manifests;
}

async function expand(context: Context, file: string): Promise<string[]> {
  if (file === '-') return ['-'];
  const info = await stat(context.path(file)).catch((error: unknown) => {
    throw new Error(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`,
    );
  });
  if (!info.isDirectory()) return [file];
  const entries = (await readdir(context.path(file)))
    .filter((f) => MANIFEST_EXTENSIONS.has(extname(f)))
    .sort();
  return entries.map((entry) => join(file, entry));
}

async function readStdin(context: Context): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of context.io.stdin()) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** Parses the documents of one file. Throws an Error naming the file, document and line of a syntax error. */
export function parseManifests(text: string, origin: string): Manifest[] {
  // Generated manifests are plain YAML, read far faster than by `yaml`; anything else (and every error) is `yaml`'s.
  const values = readPlainYaml(text) ?? parseWithYaml(text, origin);
  const manifests: Manifest[] = [];
  values.forEach((value, index) => {
    const where = values.length > 1 ? `${origin} (document ${index + 1})` : origin;
    if (value === null || value === undefined) return;
    for (const [i, object] of expandLists(value).entries()) {
      const objectWhere = Array.isArray(value) || isList(value) ? `${where} item ${i + 1}` : where;
      if (typeof object !== 'object' || object === null || Array.isArray(object)) {
        throw new Error(`${objectWhere}: a manifest must be a mapping with apiVersion, kind and metadata`);
      }
      manifests.push({ origin: objectWhere, object: object as Resource });
    }
  });
  return manifests;
}

/** Every document's value, by the `yaml` package; the first syntax error is thrown, naming where it is. */
function parseWithYaml(text: string, origin: string): unknown[] {
  const documents = yaml().parseAllDocuments(text, { prettyErrors: true });
  return documents.map((document, index) => {
    const [problem] = document.errors;
    if (problem !== undefined) {
      const where = documents.length > 1 ? `${origin} (document ${index + 1})` : origin;
      const line = problem.linePos?.[0];
      const at = line === undefined ? '' : ` at line ${line.line}, column ${line.col}`;
      const reason = (problem.message.split('\n')[0] ?? '').replace(/\s*at line \d+, column \d+:?$/, '');
      throw new Error(`${where}: invalid YAML/JSON${at}: ${reason}`);
    }
    return document.toJS() as unknown;
  });
}

function isList(value: unknown): value is { items: unknown[] } {
  const list = value as { kind?: unknown; items?: unknown };
  return typeof list.kind === 'string' && list.kind.endsWith('List') && Array.isArray(list.items);
}

function expandLists(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isList(value)) return value.items;
  return [value];
}
