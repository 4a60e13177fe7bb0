/**
 * ISO-8601 durations as Knative's DeliverySpec uses them (`backoffDelay`, `timeout`, `retryAfterMax`).
 *
 * Accepted: `P[nW]` or `P[nD][T[nH][nM][nS]]`, e.g. PT0.2S, PT1M30S, P1D, P2W, PT0S. Each number is a
 * non-negative decimal (`.` or `,` as ISO allows); only the last component may have a fraction (ISO 8601-1
 * 5.5.2.4). Years and months are refused: they have no fixed length in milliseconds, and a retry delay
 * measured in months is a typo. A sign, an empty `P`/`PT` and unknown designators are refused.
 */
const DURATION =
  /^P(?:(?<weeks>\d+(?:[.,]\d+)?)W|(?:(?<days>\d+(?:[.,]\d+)?)D)?(?:T(?:(?<hours>\d+(?:[.,]\d+)?)H)?(?:(?<minutes>\d+(?:[.,]\d+)?)M)?(?:(?<seconds>\d+(?:[.,]\d+)?)S)?)?)$/;

const UNIT_MS = {
  weeks: 7 * 24 * 3600_000,
  days: 24 * 3600_000,
  hours: 3600_000,
  minutes: 60_000,
  seconds: 1000,
} as const;

/** The duration in whole milliseconds (rounded), or undefined when `text` is not an accepted duration. */
export function parseIsoDuration(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DURATION.exec(text);
  const groups = match?.groups;
  if (groups === undefined || text.endsWith('T') || text === 'P') return undefined;
  let total = 0;
  let sawFraction = false;
  for (const unit of ['weeks', 'days', 'hours', 'minutes', 'seconds'] as const) {
    const raw = groups[unit];
    if (raw === undefined) continue;
    if (sawFraction) return undefined;
    const normalized = raw.replace(',', '.');
    sawFraction = normalized.includes('.');
    total += Number(normalized) * UNIT_MS[unit];
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
