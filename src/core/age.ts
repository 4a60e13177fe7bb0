/** Ages the way kubectl prints them (its AGE column), for the CLI's tables and the API's server-side Tables. */

/**
 * kubectl's human-readable durations: `45s`, `3m20s`, `95m`, `5h10m`, `30h`, `3d4h`, `200d`, `3y20d`, `9y`.
 * Two units while the smaller one still matters, one after.
 */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const years = Math.floor(days / 365);
  const two = (a: number, unitA: string, b: number, unitB: string): string =>
    b === 0 ? `${a}${unitA}` : `${a}${unitA}${b}${unitB}`;
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10) return two(minutes, 'm', seconds % 60, 's');
  if (hours < 3) return `${minutes}m`;
  if (hours < 8) return two(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  if (days < 8) return two(days, 'd', hours % 24, 'h');
  if (years < 2) return `${days}d`;
  if (years < 8) return two(years, 'y', days % 365, 'd');
  return `${years}y`;
}

/** Age of an RFC 3339 timestamp, or `<unknown>`. */
export function ageOf(timestamp: string | undefined, now: Date): string {
  const time = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  return Number.isNaN(time) ? '<unknown>' : formatAge(now.getTime() - time);
}
