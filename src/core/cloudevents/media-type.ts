/**
 * Media types (RFC 2046 / RFC 2045 section 5.1) as used by `datacontenttype` and the HTTP `Content-Type`.
 * Patterns are compiled once; helpers look only at what the codec needs (essence, charset).
 */

const token = "[!#$%&'*+\\-.^_`{|}~0-9A-Za-z]+";
const quoted = '"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*"';
const MEDIA_TYPE = new RegExp(
  `^${token}/${token}(?:[ \\t]*;[ \\t]*${token}[ \\t]*=[ \\t]*(?:${token}|${quoted}))*$`,
);
const CHARSET = /;[ \t]*charset[ \t]*=[ \t]*(?:"([^"]*)"|([^;\s]*))/i;

/** `type/subtype` followed by `; name=value` parameters, the shape RFC 2045 section 5.1 defines. */
export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}

/** The lower-cased `type/subtype` without parameters. */
export function mediaEssence(value: string): string {
  const semicolon = value.indexOf(';');
  return (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

/** JSON format 3.1.1: JSON-formatted content has a media type of the form `* /json` or `* /*+json`. */
export function isJsonMediaType(value: string): boolean {
  const essence = mediaEssence(value);
  return essence.endsWith('/json') || essence.endsWith('+json');
}

/** Media types whose content is text cemesh may carry as a JSON string: `text/*` and XML. */
export function isTextMediaType(value: string): boolean {
  const essence = mediaEssence(value);
  return essence.startsWith('text/') || essence.endsWith('/xml') || essence.endsWith('+xml');
}

/** The lower-cased `charset` parameter, or undefined when there is none. */
export function charsetOf(value: string): string | undefined {
  if (value.indexOf(';') < 0) return undefined;
  const m = CHARSET.exec(value);
  if (m === null) return undefined;
  return (m[1] ?? m[2] ?? '').toLowerCase();
}

/** True when text in that charset is the same bytes as UTF-8 (no charset means UTF-8 for JSON and for us). */
export function isUtf8Charset(charset: string | undefined): boolean {
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii';
}
