/**
 * The exact text of one member of a JSON object, so that a legacy event's `data` reaches subscribers byte for
 * byte as the application sent it (no re-serialization: number literals, key order, escapes and spacing are
 * kept). Runs only on text that JSON.parse has accepted, so it needs no error handling of its own.
 */

/**
 * The raw text of member `name` of the top-level object of a valid JSON text; undefined when the text is not
 * an object or has no such member. A duplicated name yields the last one, as JSON.parse keeps the last.
 */
export function topLevelMemberText(text: string, name: string): string | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipSpace(text, i + 1);
  let found: string | undefined;
  while (text[i] === '"') {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // the ':'
    const valueEnd = skipValue(text, i);
    if (key === name) found = text.slice(i, valueEnd);
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return found;
}

/** RFC 8259 section 2: insignificant whitespace is space, tab, line feed and carriage return. */
function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

/** `from` is at an opening quote; returns the index after the closing one. */
function skipString(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return text.length;
}

/** `from` is at the first character of a value; returns the index after its last one. */
function skipValue(text: string, from: number): number {
  const first = text[from];
  if (first === '"') return skipString(text, from);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let i = from; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = skipString(text, i) - 1;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  // A number or a literal (true, false, null) runs until a delimiter or whitespace.
  let i = from;
  while (i < text.length && !',}] \t\n\r'.includes(text[i] ?? '')) i++;
  return i;
}
