/**
 * kubectl's `-o jsonpath=TEMPLATE` (kubectl reference, "JSONPath Support"): text with `{expression}`
 * parts, `{range EXPR}...{end}` loops and `{"\n"}` literals. Each expression is a JSONPath relative to the
 * current object (`.spec.broker`, `.items[*].metadata.name`, `[?(@.type=="Ready")]`), evaluated by
 * jsonpath-plus; several results print separated by spaces, strings as they are, anything else as JSON.
 * A path that finds nothing prints nothing, as kubectl's default `--allow-missing-template-keys` does.
 */
import { JSONPath } from 'jsonpath-plus';

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'range'; readonly path: string; readonly body: Node[] };

export class TemplateError extends Error {}

/** Compiles a template once; the result prints any object. */
export function compileJsonPathTemplate(template: string): (value: unknown) => string {
  const nodes = parse(template);
  return (value) => render(nodes, value, value);
}

function parse(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let rest = template;
  while (rest !== '') {
    const open = rest.indexOf('{');
    const current = stack[stack.length - 1] as Node[];
    if (open === -1) {
      current.push({ kind: 'text', text: rest });
      break;
    }
    if (open > 0) current.push({ kind: 'text', text: rest.slice(0, open) });
    const close = closingBrace(rest, open);
    if (close === -1) throw new TemplateError(`unclosed "{" in jsonpath template at "${rest.slice(open)}"`);
    const inner = rest.slice(open + 1, close).trim();
    rest = rest.slice(close + 1);
    if (inner === 'end') {
      if (stack.length === 1) throw new TemplateError('{end} without {range} in jsonpath template');
      stack.pop();
    } else if (inner.startsWith('range ')) {
      const body: Node[] = [];
      current.push({ kind: 'range', path: inner.slice('range '.length).trim(), body });
      stack.push(body);
    } else if (inner.startsWith('"') || inner.startsWith("'")) {
      current.push({ kind: 'text', text: literal(inner) });
    } else if (inner === '') {
      throw new TemplateError('empty {} in jsonpath template');
    } else {
      current.push({ kind: 'path', path: inner });
    }
  }
  if (stack.length > 1) throw new TemplateError('{range} without {end} in jsonpath template');
  return root;
}

/** The `}` that closes the `{` at `open`, skipping braces inside quoted strings. */
function closingBrace(text: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

function literal(quoted: string): string {
  const body = quoted.slice(1, -1);
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

function render(nodes: readonly Node[], current: unknown, root: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'path') out += evaluate(node.path, current, root).map(show).join(' ');
    else {
      for (const item of evaluate(node.path, current, root)) out += render(node.body, item, root);
    }
  }
  return out;
}

function evaluate(path: string, current: unknown, root: unknown): unknown[] {
  const fromRoot = path.startsWith('$');
  const relative = fromRoot ? path.slice(1) : path.startsWith('@') ? path.slice(1) : path;
  const json = (fromRoot ? root : current) as object;
  if (relative === '' || relative === '.') return [json];
  // `.a.b` and `[0]` continue the root `$`; kubectl also accepts a bare `a.b`.
  const body = relative.startsWith('.') || relative.startsWith('[') ? relative : `.${relative}`;
  try {
    return JSONPath({ path: `$${body}`, json, wrap: true }) as unknown[];
  } catch (error) {
    throw new TemplateError(`jsonpath "${path}": ${error instanceof Error ? error.message : String(error)}`);
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
