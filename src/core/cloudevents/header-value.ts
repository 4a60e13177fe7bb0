/**
 * HTTP header values of binary-mode attributes (HTTP binding 3.1.3.2): percent-encoding on the way out,
 * quoted-string unescaping then one round of percent-decoding on the way in.
 */
import { invalidAttribute } from './event-errors.js';

const HEX = '0123456789ABCDEF';
// Keeps a leading U+FEFF: it is part of the value, not a byte-order mark.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function needsEncoding(c: number): boolean {
  // 3.1.3.2: space, double quote, percent and everything outside printable ASCII U+0021-U+007E.
  return c <= 0x20 || c === 0x22 || c === 0x25 || c >= 0x7f;
}

function pushByte(out: string[], byte: number): void {
  out.push('%', HEX[byte >> 4] ?? '0', HEX[byte & 15] ?? '0');
}

/** Percent-encodes an attribute's canonical string for an HTTP header (upper-case hex, UTF-8 bytes). */
export function encodeHeaderValue(value: string): string {
  let i = 0;
  const length = value.length;
  while (i < length && !needsEncoding(value.charCodeAt(i))) i++;
  if (i === length) return value;
  const out: string[] = [value.slice(0, i)];
  // for..of walks code points, so a surrogate pair is encoded as one character (3.1.3.2).
  for (const ch of value.slice(i)) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!needsEncoding(cp)) out.push(ch);
    else if (cp < 0x80) pushByte(out, cp);
    else if (cp < 0x800) {
      pushByte(out, 0xc0 | (cp >> 6));
      pushByte(out, 0x80 | (cp & 63));
    } else if (cp < 0x10000) {
      pushByte(out, 0xe0 | (cp >> 12));
      pushByte(out, 0x80 | ((cp >> 6) & 63));
      pushByte(out, 0x80 | (cp & 63));
    } else {
      pushByte(out, 0xf0 | (cp >> 18));
      pushByte(out, 0x80 | ((cp >> 12) & 63));
      pushByte(out, 0x80 | ((cp >> 6) & 63));
      pushByte(out, 0x80 | (cp & 63));
    }
  }
  return out.join('');
}

/**
 * Decodes a binary-mode header value into the attribute's string. Values without `%`, `"` or non-ASCII
 * characters (the common case) are returned as they are. Throws MESH_EVENT_INVALID naming `attribute`.
 */
export function decodeHeaderValue(raw: string, attribute: string): string {
  let special = false;
  const length = raw.length;
  for (let i = 0; i < length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 || c === 0x22) special = true;
    else if (c > 0x7e) {
      // RFC 7230 section 3 and 3.1.3.2: header values are printable US-ASCII; other text MUST be percent-encoded.
      throw invalidAttribute(
        attribute,
        'header-encoding',
        `header value has the non-ASCII character at index ${i}; such characters must be percent-encoded (HTTP binding 3.1.3.2)`,
      );
    }
  }
  if (!special) return raw;
  const unquoted = raw.indexOf('"') < 0 ? raw : unquote(raw, attribute);
  return unquoted.indexOf('%') < 0 ? unquoted : percentDecode(unquoted, attribute);
}

/** RFC 7230 3.2.6 quoted-strings (older senders quote values instead of percent-encoding them). */
function unquote(raw: string, attribute: string): string {
  let out = '';
  let inQuotes = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? '';
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\\' && inQuotes) {
      i++;
      if (i >= raw.length) break;
      out += raw[i] ?? '';
    } else out += ch;
  }
  if (inQuotes) {
    throw invalidAttribute(
      attribute,
      'header-encoding',
      'header value has an unterminated quoted-string (RFC 7230 3.2.6)',
    );
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57; // 3.1.3.2: decoding MUST accept lower-case hex.
  return -1;
}

function percentDecode(value: string, attribute: string): string {
  const bytes = new Uint8Array(value.length);
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 0x25) {
      bytes[n++] = c;
      continue;
    }
    const hi = hexDigit(value.charCodeAt(i + 1));
    const lo = hexDigit(value.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) {
      throw invalidAttribute(
        attribute,
        'percent-encoding',
        `'%' at index ${i} is not followed by two hexadecimal digits (HTTP binding 3.1.3.2)`,
      );
    }
    bytes[n++] = (hi << 4) | lo;
    i += 2;
  }
  try {
    return utf8.decode(bytes.subarray(0, n));
  } catch {
    // 3.1.3.2: encoded byte sequences which are invalid in UTF-8 (overlong forms included) MUST be rejected.
    throw invalidAttribute(
      attribute,
      'percent-encoding',
      'percent-encoded bytes are not valid UTF-8 (HTTP binding 3.1.3.2)',
    );
  }
}
