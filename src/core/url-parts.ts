/**
 * The parts of an absolute URL that cemesh reads, parsed once per distinct text. A trigger's subscriber URI is
 * parsed when it is validated, when the outbound guard checks it and when it is wired, and 10,000 triggers
 * applied at once name a handful of URIs between them. A WHATWG parse took 0.4-0.8 us in a warm loop and about
 * 3.4 us a call in a profile of SA (BENCHMARKS.md); a lookup here takes 15-80 ns (bench/url-parts.ts).
 */

export interface UrlParts {
  /** With its colon, as URL gives it: `http:`. */
  readonly protocol: string;
  /** Lower-cased; an IPv6 address keeps its brackets, as URL gives it. */
  readonly hostname: string;
  /** Empty when it is the scheme's default. */
  readonly port: string;
  readonly origin: string;
  readonly pathname: string;
  readonly search: string;
}

/** Distinct texts remembered; past it the oldest is forgotten, so a flood of distinct URIs costs a bounded map. */
export const MAX_REMEMBERED_URLS = 1024;
/** Longer texts are parsed every time: a megabyte-long URI in each of 1,024 objects must not stay in memory. */
export const MAX_REMEMBERED_URL_CHARS = 2048;

/** Text -> its parts, or null when it is not an absolute URL. */
const remembered = new Map<string, UrlParts | null>();

/** The parts of `text` as an absolute URL, or undefined when it is not one. */
export function urlParts(text: string): UrlParts | undefined {
  if (text.length > MAX_REMEMBERED_URL_CHARS) return parse(text) ?? undefined;
  let parts = remembered.get(text);
  if (parts === undefined) {
    parts = parse(text);
    if (remembered.size >= MAX_REMEMBERED_URLS) remembered.delete(remembered.keys().next().value!);
    remembered.set(text, parts);
  }
  return parts ?? undefined;
}

/** How many texts are remembered now (the bound's test reads it). */
export function rememberedUrlCount(): number {
  return remembered.size;
}

function parse(text: string): UrlParts | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const { protocol, hostname, port, origin, pathname, search } = url;
  return Object.freeze({ protocol, hostname, port, origin, pathname, search });
}
