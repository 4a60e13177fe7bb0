/**
 * JSON format 2.2: an Integer attribute is a JSON number with "only the integer component optionally prefixed
 * with a minus sign". JSON.parse turns `10.0` and `1e1` into the integer 10, so the literal itself is checked in
 * the body text. This scan runs only when a parsed event has a number-valued attribute (rare).
 */

export interface NumberMember {
  /** Index of the event: 0 in a structured body, the array index in a batch. */
  readonly event: number;
  readonly name: string;
  readonly literal: string;
}

const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]*)$/;

export function isIntegerLiteral(literal: string): boolean {
  return INTEGER_LITERAL.test(literal);
}

function isNumberStart(c: number): boolean {
  return c === 0x2d || (c >= 0x30 && c <= 0x39);
}

/** Every number-valued member of the event objects of a valid JSON text (depth 1: structured; 2: batch). */
export function numberMembers(text: string, eventDepth: 1 | 2): NumberMember[] {
  const found: NumberMember[] = [];
  const containers: number[] = []; // char codes of the open '{' / '['
  let event = -1;
  let expectName = false;
  let name = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (expectName && containers.length === eventDepth) name = JSON.parse(text.slice(i, j + 1)) as string;
      expectName = false;
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      containers.push(c);
      if (c === 0x7b && containers.length === eventDepth) event++;
      expectName = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      containers.pop();
    } else if (c === 0x2c) {
      expectName = containers[containers.length - 1] === 0x7b;
    } else if (c === 0x3a && containers.length === eventDepth) {
      let j = i + 1;
      while (text.charCodeAt(j) <= 0x20) j++;
      if (!isNumberStart(text.charCodeAt(j))) continue;
      let end = j;
      while (end < text.length && /[-+.eE0-9]/.test(text[end] ?? '')) end++;
      found.push({ event, name, literal: text.slice(j, end) });
      i = end - 1;
    }
  }
  return found;
}
