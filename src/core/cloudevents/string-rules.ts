/**
 * The CloudEvents `String` type (spec "Type System"): any Unicode text except control characters
 * (U+0000-U+001F, U+007F-U+009F), noncharacters, and surrogates that are not properly paired.
 */

function hex(code: number): string {
  return 'U+' + code.toString(16).toUpperCase().padStart(4, '0');
}

/** Describes the first character the String type disallows, or returns undefined when `value` is a valid String. */
export function stringViolation(value: string): string | undefined {
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `control character ${hex(c)} at index ${i}`;
    if ((c >= 0xfdd0 && c <= 0xfdef) || c === 0xfffe || c === 0xffff) {
      return `noncharacter ${hex(c)} at index ${i}`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `unpaired surrogate ${hex(c)} at index ${i}`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < length ? value.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return `unpaired surrogate ${hex(c)} at index ${i}`;
      // U+nFFFE and U+nFFFF in planes 1-16 are noncharacters too: high surrogate ends in 0x3F, low is DFFE/DFFF.
      if ((c & 0x3f) === 0x3f && d >= 0xdffe) {
        return `noncharacter ${hex(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000)} at index ${i}`;
      }
      i++;
    }
  }
  return undefined;
}
