/**
 * RFC 3986 syntax checks for the `URI` and `URI-reference` attribute types (spec "Type System").
 * The patterns follow the RFC's ABNF (sections 3 and 4.1) and are compiled once.
 */

const unreserved = 'A-Za-z0-9\\-._~';
const subDelims = "!$&'()*+,;=";
const pct = '%[0-9A-Fa-f]{2}';
const pchar = `(?:[${unreserved}${subDelims}:@]|${pct})`;
const segment = `${pchar}*`;
const segmentNz = `${pchar}+`;
const segmentNzNc = `(?:[${unreserved}${subDelims}@]|${pct})+`;
const pathAbempty = `(?:/${segment})*`;
const pathAbsolute = `/(?:${segmentNz}(?:/${segment})*)?`;
const pathRootless = `${segmentNz}(?:/${segment})*`;
const pathNoscheme = `${segmentNzNc}(?:/${segment})*`;
const userinfo = `(?:[${unreserved}${subDelims}:]|${pct})*`;
// IPv6 literals are checked for their character set only; the IP-literal shape (RFC 3986 3.2.2) is kept.
const ipLiteral = `\\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\\.[${unreserved}${subDelims}:]+)\\]`;
const regName = `(?:[${unreserved}${subDelims}]|${pct})*`;
const authority = `(?:${userinfo}@)?(?:${ipLiteral}|${regName})(?::[0-9]*)?`;
const queryOrFragment = `(?:${pchar}|[/?])*`;
const scheme = '[A-Za-z][A-Za-z0-9+.\\-]*';
const tail = `(?:\\?${queryOrFragment})?(?:#${queryOrFragment})?`;
const uri = `${scheme}:(?://${authority}${pathAbempty}|${pathAbsolute}|${pathRootless})?${tail}`;
const relativeRef = `(?://${authority}${pathAbempty}|${pathAbsolute}|${pathNoscheme})?${tail}`;

const URI_PATTERN = new RegExp(`^${uri}$`);
const URI_REFERENCE_PATTERN = new RegExp(`^(?:${uri}|${relativeRef})$`);

/**
 * `URI`: an absolute URI, i.e. one with a scheme. A fragment is accepted: the spec's JSON schema checks
 * `format: uri`, which allows one, although RFC 3986 4.3 `absolute-URI` does not (see docs/cloudevents.md).
 */
export function isUri(value: string): boolean {
  return URI_PATTERN.test(value);
}

/** `URI-reference` (RFC 3986 4.1): an absolute URI or a relative reference. */
export function isUriReference(value: string): boolean {
  return URI_REFERENCE_PATTERN.test(value);
}
