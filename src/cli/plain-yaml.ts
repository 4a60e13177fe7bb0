/**
 * A fast reader for the plain YAML that tools generate (block mappings and sequences of simple scalars), for
 * large manifests: about a tenth of what the `yaml` package costs per document. It reads only what it is sure
 * to read as `yaml` does (YAML 1.2, core schema) and gives up on anything else (anchors, tags, flow
 * collections other than `[]` and `{}`, block or multi-line scalars, escapes, comments after a value, a
 * repeated key, ...): the caller then parses the whole text with `yaml`, which also words every error. Pure.
 */

/** The documents' values (null for an empty one), or undefined when the text is not plain YAML. */
export function readPlainYaml(text: string): unknown[] | undefined {
  try {
    const values: unknown[] = [];
    forEachDocument(text, (lines) => values.push(lines.length === 0 ? null : readDocument(lines)));
    return values;
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

/** Thrown (never escapes this module) when the text uses something this reader does not read. */
const NOT_PLAIN = Symbol('not plain YAML');

interface Line {
  readonly indent: number;
  readonly text: string;
}

/**
 * Hands `read` the content lines of each document as soon as the document ends, so that only one document's
 * lines are alive at a time: holding every line of a 10,000-document manifest until the end made the CLI's
 * garbage collector copy them all (BENCHMARKS.md, "SA"). `---` starts a document; what precedes the first one
 * is a document only when it holds content, as `yaml` counts them.
 */
function forEachDocument(text: string, read: (lines: Line[]) => void): void {
  let current: Line[] = [];
  let started = false;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (next <= text.length && end > start && text.charCodeAt(end - 1) === CR) end--;
    // A carriage return not ending the line (the last line's, or a second one): `yaml` keeps it in the value.
    if (end > start && text.charCodeAt(end - 1) === CR) throw NOT_PLAIN;
    if (text.startsWith('---', start)) {
      if (text.slice(start, end).trimEnd() !== '---') throw NOT_PLAIN;
      if (started || current.length > 0) read(current);
      current = [];
      started = true;
    } else {
      const entry = contentLine(text, start, end);
      if (entry !== undefined) current.push(entry);
    }
    start = next;
  }
  if (started || current.length > 0) read(current);
}

/**
 * The indentation and text (without the spaces around it) of the line `text[start, end)`; undefined for a
 * blank or comment line. Only the text is sliced out: most lines need no copy of the whole line.
 */
function contentLine(text: string, start: number, end: number): Line | undefined {
  let at = start;
  while (at < end && text.charCodeAt(at) === SPACE) at++;
  const first = at < end ? text.charCodeAt(at) : -1;
  // Most lines: spaces, then a printable ASCII character. Anything else (a tab, another kind of white space,
  // a byte-order mark, an empty line) takes the general path below.
  if (first > SPACE && first < DEL) {
    if (first === HASH) return undefined;
    // Directives and document end markers: left to `yaml`.
    if (at === start && (first === PERCENT || text.startsWith('...', start))) throw NOT_PLAIN;
    const last = text.charCodeAt(end - 1);
    const content = text.slice(at, end);
    return { indent: at - start, text: last > SPACE && last < DEL ? content : content.trimEnd() };
  }
  const line = text.slice(start, end);
  const content = line.trimStart();
  if (content === '' || content.startsWith('#')) return undefined;
  const indent = line.length - content.length;
  // Tabs, directives, document end markers, a byte-order mark: left to `yaml`.
  if (line.slice(0, indent).includes('\t') || /^(?:%|\.\.\.|\uFEFF)/.test(line)) throw NOT_PLAIN;
  return { indent, text: content.trimEnd() };
}

const SPACE = 0x20;
const CR = 0x0d;
const DEL = 0x7f;
const HASH = 0x23;
const PERCENT = 0x25;

function readDocument(lines: Line[]): unknown {
  const reader = new Reader(lines);
  const first = lines[0]!;
  if (!isEntry(first.text) && keyOf(first.text) === undefined) throw NOT_PLAIN;
  const value = reader.block(first.indent);
  if (reader.at < lines.length) throw NOT_PLAIN;
  return value;
}

class Reader {
  at = 0;
  constructor(private readonly lines: Line[]) {}

  /** A mapping or a sequence whose entries start at column `indent`, from the current line. */
  block(indent: number): unknown {
    return isEntry(this.lines[this.at]!.text) ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (
      let line = this.lines[this.at];
      line?.indent === indent && isEntry(line.text);
      line = this.lines[this.at]
    ) {
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.at++;
        items.push(this.nested(indent, false));
        continue;
      }
      const column = indent + line.text.length - rest.length;
      if (isEntry(rest) || keyOf(rest) !== undefined) {
        // `- key: value` or `- - x`: a block whose first line starts after the dash.
        this.lines[this.at] = { indent: column, text: rest };
        items.push(this.block(column));
      } else {
        this.at++;
        items.push(scalar(rest));
        this.noDeeperThan(indent);
      }
    }
    this.noDeeperThan(indent);
    return items;
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (
      let line = this.lines[this.at];
      line?.indent === indent && !isEntry(line.text);
      line = this.lines[this.at]
    ) {
      const entry = keyOf(line.text);
      if (entry === undefined || Object.hasOwn(map, entry.key)) throw NOT_PLAIN;
      this.at++;
      if (entry.rest === '') map[entry.key] = this.nested(indent, true);
      else {
        map[entry.key] = scalar(entry.rest);
        this.noDeeperThan(indent);
      }
    }
    this.noDeeperThan(indent);
    return map;
  }

  /** The block under an entry with nothing after it, or null. A mapping's value may be a sequence at its column. */
  private nested(indent: number, sequenceAtSameColumn: boolean): unknown {
    const next = this.lines[this.at];
    if (next === undefined) return null;
    if (next.indent > indent) return this.block(next.indent);
    if (sequenceAtSameColumn && next.indent === indent && isEntry(next.text)) return this.sequence(indent);
    return null;
  }

  /** A line deeper than `indent` that no entry took would be a continuation: not plain. */
  private noDeeperThan(indent: number): void {
    const next = this.lines[this.at];
    if (next !== undefined && next.indent > indent) throw NOT_PLAIN;
  }
}

function isEntry(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Plain keys the core schema reads as something other than a string. */
const NOT_STRING_KEY = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL|__proto__)$/;

/** Keys already found plain (and strings in the core schema), so not checked again. */
const PLAIN_KEYS_SEEN = new Set<string>();
const PLAIN_KEYS_SEEN_MAX = 4096;

/** `key: rest` (rest may be empty), or undefined when the line is no plain mapping entry. */
function keyOf(text: string): { key: string; rest: string } | undefined {
  let key: string | undefined;
  let after: number;
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = closingQuote(text);
    if (end < 0) return undefined;
    key = quoted(text.slice(0, end + 1));
    after = end + 1;
  } else {
    after = text.indexOf(':');
    if (after <= 0) return undefined;
    key = text.slice(0, after);
    if (!PLAIN_KEYS_SEEN.has(key)) {
      if (!PLAIN_KEY.test(key) || NOT_STRING_KEY.test(key)) throw NOT_PLAIN;
      // A manifest repeats a few dozen keys thousands of times: each is checked once.
      if (PLAIN_KEYS_SEEN.size < PLAIN_KEYS_SEEN_MAX) PLAIN_KEYS_SEEN.add(key);
    }
  }
  if (text[after] !== ':' || (after + 1 < text.length && text[after + 1] !== ' ')) return undefined;
  if (key === undefined || key === '__proto__') throw NOT_PLAIN;
  return { key, rest: text.slice(after + 1).trim() };
}

/** The index of the quote closing the scalar `text` starts with; -1 when it does not close on this line. */
function closingQuote(text: string): number {
  const quote = text[0];
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== quote) continue;
    if (quote === "'" && text[i + 1] === "'") {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** A quoted scalar's string; escapes (`\` in double quotes) are left to `yaml`. */
function quoted(text: string): string {
  if (text.startsWith('"')) {
    if (text.includes('\\')) throw NOT_PLAIN;
    return text.slice(1, -1);
  }
  return text.slice(1, -1).replaceAll("''", "'");
}

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
/** The first characters a plain scalar may have here; anything else is an indicator or unusual. */
const PLAIN_START = /^[A-Za-z0-9_./+$(~]|^-[^\s]/;

/** A scalar value on the line of its key or dash, resolved as the core schema does. */
function scalar(text: string): unknown {
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (text.startsWith('"') || text.startsWith("'")) {
    if (closingQuote(text) !== text.length - 1) throw NOT_PLAIN;
    return quoted(text);
  }
  // A comment, a nested mapping, a trailing colon or a control character: left to `yaml`.
  if (!PLAIN_START.test(text) || text.includes(' #') || text.includes(': ') || text.endsWith(':'))
    throw NOT_PLAIN;
  if (/[^ -~\u00a0-\uffff]/.test(text)) throw NOT_PLAIN;
  // Each pattern below can only match a text starting with one of a few characters: test those alone.
  switch (text[0]) {
    case '~':
    case 'n':
    case 'N':
      return NULL.test(text) ? null : text;
    case 't':
    case 'T':
      return TRUE.test(text) ? true : text;
    case 'f':
    case 'F':
      return FALSE.test(text) ? false : text;
    case '-':
    case '+':
    case '.':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      if (INT.test(text)) return parseInt(text, 10);
      if (FLOAT.test(text)) return parseFloat(text);
      if (/^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$|^0o|^0x/.test(text)) throw NOT_PLAIN;
      return text;
    default:
      return text;
  }
}
