/** Plain-text tables and ages the way kubectl prints them. */

/** Left-aligned columns separated by three spaces; trailing spaces trimmed. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columnWidths(header, rows);
  return [header, ...rows].map((row) => formatRow(row, widths)).join('\n') + '\n';
}

export function columnWidths(header: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
}

export function formatRow(row: readonly string[], widths: readonly number[]): string {
  return row
    .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? cell.length)))
    .join('   ')
    .trimEnd();
}

export { ageOf, formatAge } from '../core/age.js';
