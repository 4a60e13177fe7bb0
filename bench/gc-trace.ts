/**
 * Reads what `node --trace-gc` prints (one line per collection) and sums up the pauses by kind, so a
 * latency tail can be set beside the collections that cause it (`npm run bench -- --trace-gc`).
 */

export interface GcPauses {
  readonly kind: string;
  readonly count: number;
  readonly totalMs: number;
  readonly p50Ms: number;
  readonly maxMs: number;
  /** Mean heap size after the collection, MB (what the next one starts from). */
  readonly meanAfterMb: number;
}

// `[pid:0x…]   1234 ms: Scavenge 10.2 (12.3) -> 9.8 (14.3) MB, 1.23 / 0.00 ms  (average mu …) allocation failure;`
const LINE =
  /ms: ([A-Za-z -]+?)(?: \([a-z ]+\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms/;

export function summariseGcTrace(text: string): GcPauses[] {
  const byKind = new Map<string, { pauses: number[]; after: number }>();
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const kind = match[1]!;
    const entry = byKind.get(kind) ?? { pauses: [], after: 0 };
    entry.pauses.push(Number(match[3]));
    entry.after += Number(match[2]);
    byKind.set(kind, entry);
  }
  return [...byKind].map(([kind, { pauses, after }]) => {
    const sorted = pauses.sort((a, b) => a - b);
    return {
      kind,
      count: sorted.length,
      totalMs: round(sorted.reduce((a, b) => a + b, 0)),
      p50Ms: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
      maxMs: round(sorted.at(-1) ?? 0),
      meanAfterMb: round(after / sorted.length),
    };
  });
}

export function formatGcPauses(pauses: readonly GcPauses[]): string {
  return pauses
    .map(
      (p) =>
        `${p.kind} x${p.count}: ${p.totalMs} ms in all, p50 ${p.p50Ms} ms, max ${p.maxMs} ms, heap after ${p.meanAfterMb} MB`,
    )
    .join('; ');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
