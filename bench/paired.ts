/**
 * Paired measurement: a scenario and its baseline run side by side and take turns (A B B A ...), window by
 * window, and the ratio reported is the median of the per-pair ratios. On a shared two-core machine the
 * throughput of either side can halve from one minute to the next; two windows a few seconds apart see
 * nearly the same neighbours, so their ratio holds still where the raw figures do not.
 */
import { measureFlow, type Bench, type Flow, type FlowSpec } from './kit.js';
import { processAgeMs } from './proc.js';

export interface Paired {
  /** The subject's window with the median throughput (its latency and CPU figures are shown). */
  readonly subject: Flow;
  readonly reference: Flow;
  /** Median delivered/s of each side over its windows. */
  readonly subjectPerS: number;
  readonly referencePerS: number;
  /** Median of subject/reference over the pairs. */
  readonly ratio: number;
  readonly ratios: readonly number[];
}

export const DEFAULT_PAIRS = 3;

/**
 * Runs `pairs` windows of each side, alternating which goes first. Each side warms up before its first
 * window only. The specs are used as given for every window (their plans carry the window length).
 */
export async function measurePaired(
  bench: Bench,
  subject: FlowSpec,
  reference: FlowSpec,
  pairs = DEFAULT_PAIRS,
): Promise<Paired> {
  const { subjects, references } = await alternate(bench, subject, reference, pairs);
  const ratios = subjects.map((s, i) => s.deliveredPerS / references[i]!.deliveredPerS);
  return {
    subject: medianFlow(subjects),
    reference: medianFlow(references),
    subjectPerS: median(subjects.map((f) => f.deliveredPerS)),
    referencePerS: median(references.map((f) => f.deliveredPerS)),
    ratio: median(ratios),
    ratios,
  };
}

/** The windows of both sides, in pair order (A B B A ...): what measurePaired and paired latencies read. */
export async function alternate(
  bench: Bench,
  subject: FlowSpec,
  reference: FlowSpec,
  pairs: number,
): Promise<{ subjects: Flow[]; references: Flow[] }> {
  const subjects: Flow[] = [];
  const references: Flow[] = [];
  for (let i = 0; i < pairs; i++) {
    const round = async (spec: FlowSpec, into: Flow[]): Promise<void> => {
      const from = processAgeMs(spec.cpuPid ?? -1);
      const flow = await measureFlow(bench, {
        ...spec,
        label: `${spec.label} (${i + 1}/${pairs})`,
        plan: { ...spec.plan, idPrefix: `${spec.plan.idPrefix}-${i}` },
        ...(i > 0 ? { warmupMs: 0 } : {}),
      });
      into.push(flow);
      // Where each window sits in the server's CPU profile (seconds since it started), for per-event diffs.
      if (bench.options.cpuProfDir !== undefined && spec.cpuPid !== undefined)
        bench.log(
          `  profile-window pid=${spec.cpuPid} ${spec.label} (${i + 1}/${pairs}) ` +
            `from=${from} to=${processAgeMs(spec.cpuPid)} ms (warm-up included), ${flow.load.accepted} accepted`,
        );
    };
    if (i % 2 === 0) {
      await round(reference, references);
      await round(subject, subjects);
    } else {
      await round(subject, subjects);
      await round(reference, references);
    }
  }
  return { subjects, references };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianFlow(flows: readonly Flow[]): Flow {
  const sorted = [...flows].sort((a, b) => a.deliveredPerS - b.deliveredPerS);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** "0.81 0.93 0.88" for the notes column. */
export function ratiosNote(paired: Paired, to: string): string {
  return `${to} paired ${Math.round(paired.referencePerS)}/s, ratios ${paired.ratios.map((r) => r.toFixed(2)).join(' ')}`;
}
