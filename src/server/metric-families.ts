/**
 * Counters and histograms for the per-event path, whose counting is a few number updates: the caller finds a
 * label tuple's series once (nested MemoMaps keyed by the label values) and counts into it from then on,
 * where prom-client hashes the label object and allocates on every call.
 *
 * They register in prom-client's Registry beside its own metrics and give it prom-client's value shape from
 * get() (label order as declared, cumulative buckets, `+Inf`, `_sum`, `_count`, series in the order first
 * counted), so /metrics is the same text byte for byte (metric-families.test.ts compares the two).
 */
import type {
  Metric,
  MetricObjectWithValues,
  MetricValueWithName,
  Registry,
  RegistryContentType,
} from 'prom-client';
import { nested, type Nested } from './memo-map.js';

export interface FamilyOptions {
  readonly name: string;
  readonly help: string;
  /** In the order /metrics prints them. */
  readonly labelNames: readonly string[];
  readonly registry: Registry<RegistryContentType>;
}

export interface HistogramOptions extends FamilyOptions {
  /** Upper bounds, increasing; `+Inf` is implied. */
  readonly buckets: readonly number[];
}

type Labels = Readonly<Record<string, string>>;
type Exposed = MetricObjectWithValues<MetricValueWithName<string>>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

abstract class Family<S extends { clear(): void }> {
  /** How a Node.js cluster aggregates it, as prom-client's counters and histograms do. */
  readonly aggregator = 'sum';
  /** Not readonly: an OpenMetrics registry renames counters when it serialises them. */
  name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  private readonly byValues = new Map<string, S>();
  /** The series counted since the last reset, in the order first counted: the order of the exposition. */
  protected shown: S[] = [];

  constructor(options: FamilyOptions) {
    if (!METRIC_NAME.test(options.name)) throw new Error(`invalid metric name "${options.name}"`);
    for (const label of options.labelNames)
      if (!LABEL_NAME.test(label)) throw new Error(`${options.name}: invalid label name "${label}"`);
    if (options.labelNames.length === 0) throw new Error(`${options.name}: a family needs labels`);
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    // The Registry reads only name, type, get() and reset(); its type lists prom-client's own classes.
    options.registry.registerMetric(this as unknown as Metric);
  }

  /**
   * The series of these label values (in labelNames order): made on first request, the same one after. Not
   * for the per-event path: callers keep what it returns.
   */
  series(values: readonly string[]): S {
    const key = JSON.stringify(values);
    let found = this.byValues.get(key);
    if (found === undefined) {
      if (values.length !== this.labelNames.length)
        throw new Error(`${this.name}: ${values.length} label values for ${this.labelNames.length} labels`);
      found = this.create(Object.fromEntries(this.labelNames.map((name, i) => [name, values[i] ?? ''])));
      this.byValues.set(key, found);
    }
    return found;
  }

  /**
   * Its series through nested MemoMaps keyed by the label values, for the per-event path:
   * `family.by<[string, number]>().get('a').get(202)` is `family.series(['a', '202'])`. K has one key per label.
   */
  by<K extends readonly (string | number)[]>(): Nested<K, S> {
    return nested<K, S>(this.labelNames.length, (keys) => this.series(keys.map(String)));
  }

  /** Called by a series when it is first counted after being made or reset. */
  show(series: S): void {
    this.shown.push(series);
  }

  /** As prom-client's: every series leaves /metrics until it is counted again, from zero. */
  reset(): void {
    for (const series of this.shown) series.clear();
    this.shown = [];
  }

  abstract get(): Promise<Exposed>;
  protected abstract create(labels: Labels): S;
}

export class CounterSeries {
  value = 0;
  private shown = false;

  constructor(
    private readonly family: CounterFamily,
    readonly labels: Labels,
  ) {}

  inc(amount = 1): void {
    if (!(amount >= 0 && amount !== Infinity)) throw invalidCount(this.family.name, amount);
    this.value += amount;
    if (!this.shown) {
      this.shown = true;
      this.family.show(this);
    }
  }

  clear(): void {
    this.value = 0;
    this.shown = false;
  }
}

export class CounterFamily extends Family<CounterSeries> {
  readonly type = 'counter';

  get(): Promise<Exposed> {
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type as unknown as Exposed['type'],
      aggregator: this.aggregator,
      values: this.shown.map((s) => ({ value: s.value, labels: { ...s.labels } })),
    } as Exposed);
  }

  protected create(labels: Labels): CounterSeries {
    return new CounterSeries(this, labels);
  }
}

export class HistogramSeries {
  /** Observations per bucket, not cumulative: the exposition adds them up. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  private shown = false;

  constructor(
    private readonly family: HistogramFamily,
    readonly labels: Labels,
  ) {
    this.counts = new Float64Array(family.buckets.length);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw invalidValue(this.family.name, value);
    const { buckets } = this.family;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= buckets[i]!) {
        this.counts[i]! += 1;
        break;
      }
    }
    this.sum += value;
    this.count += 1;
    if (!this.shown) {
      this.shown = true;
      this.family.show(this);
    }
  }

  clear(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.shown = false;
  }
}

export class HistogramFamily extends Family<HistogramSeries> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(options: HistogramOptions) {
    if (options.labelNames.includes('le')) throw new Error(`${options.name}: le is a reserved label`);
    const { buckets } = options;
    if (buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!)))
      throw new Error(`${options.name}: buckets must be finite and increasing`);
    super(options);
    this.buckets = [...buckets];
  }

  get(): Promise<Exposed> {
    const bucketName = `${this.name}_bucket`;
    const values: MetricValueWithName<string>[] = [];
    for (const s of this.shown) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i]!;
        values.push(sample({ le, ...s.labels }, cumulative, bucketName, null));
      });
      values.push(
        sample({ le: '+Inf', ...s.labels }, s.count, bucketName, null),
        sample({ ...s.labels }, s.sum, `${this.name}_sum`, undefined),
        sample({ ...s.labels }, s.count, `${this.name}_count`, undefined),
      );
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type as unknown as Exposed['type'],
      aggregator: this.aggregator,
      values,
    } as Exposed);
  }

  protected create(labels: Labels): HistogramSeries {
    return new HistogramSeries(this, labels);
  }
}

/** prom-client's histogram sample, exemplar included (null on buckets, absent on _sum and _count). */
function sample(
  labels: Record<string, string | number>,
  value: number,
  metricName: string,
  exemplar: null | undefined,
): MetricValueWithName<string> {
  return { value, metricName, exemplar, labels } as MetricValueWithName<string>;
}

function invalidCount(name: string, amount: number): Error {
  return amount < 0
    ? new Error(`${name}: a counter cannot decrease (${amount})`)
    : new TypeError(`${name}: not a valid number: ${amount}`);
}

function invalidValue(name: string, value: number): TypeError {
  return new TypeError(`${name}: not a valid number: ${value}`);
}
