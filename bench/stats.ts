/** Small numeric helpers shared by the bench processes. */

/** A growable list of float samples (latencies in ms). */
export class Samples {
  private values = new Float64Array(1 << 16);
  private size = 0;

  get count(): number {
    return this.size;
  }

  add(value: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }

  clear(): void {
    this.size = 0;
  }

  percentiles(): Percentiles | undefined {
    if (this.size === 0) return undefined;
    const sorted = this.values.slice(0, this.size).sort();
    return {
      p50: pick(sorted, 0.5),
      p99: pick(sorted, 0.99),
      p999: pick(sorted, 0.999),
      max: sorted[sorted.length - 1]!,
    };
  }
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** Nearest-rank percentile of sorted values. */
function pick(sorted: Float64Array, q: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function ratio(value: number | undefined, baseline: number | undefined): number | undefined {
  if (value === undefined || baseline === undefined || baseline <= 0) return undefined;
  return value / baseline;
}

export function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
