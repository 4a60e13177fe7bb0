/**
 * RFC 3339 section 5.6 `date-time`, the string encoding of the `Timestamp` type (spec "Type System").
 * A hand-written scanner: this runs for every event with a `time`, so it avoids a regex match and its arrays.
 */

function twoDigits(value: string, at: number): number {
  const a = value.charCodeAt(at) - 0x30;
  const b = value.charCodeAt(at + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * True for an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`. `T` and `Z` may be lower
 * case (RFC 3339 5.6 note); second 60 is allowed for leap seconds (5.7). The value is checked, never reformatted.
 */
export function isTimestamp(value: string): boolean {
  const length = value.length;
  if (length < 20) return false;
  const century = twoDigits(value, 0);
  const yy = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const t = value.charCodeAt(10);
  if (century < 0 || yy < 0 || value.charCodeAt(4) !== 0x2d || value.charCodeAt(7) !== 0x2d) return false;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(century * 100 + yy, month)) return false;
  if (t !== 0x54 && t !== 0x74) return false;
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if (value.charCodeAt(13) !== 0x3a || value.charCodeAt(16) !== 0x3a) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  let i = 19;
  if (value.charCodeAt(i) === 0x2e) {
    const start = ++i;
    while (i < length && value.charCodeAt(i) >= 0x30 && value.charCodeAt(i) <= 0x39) i++;
    if (i === start) return false;
  }
  const zone = value.charCodeAt(i);
  if (zone === 0x5a || zone === 0x7a) return i + 1 === length;
  if (zone !== 0x2b && zone !== 0x2d) return false;
  const offsetHour = twoDigits(value, i + 1);
  const offsetMinute = twoDigits(value, i + 4);
  return (
    i + 6 === length &&
    value.charCodeAt(i + 3) === 0x3a &&
    offsetHour >= 0 &&
    offsetHour <= 23 &&
    offsetMinute >= 0 &&
    offsetMinute <= 59
  );
}
