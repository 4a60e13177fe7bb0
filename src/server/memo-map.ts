/**
 * A Map that makes each missing value once, on first use. Nested MemoMaps keyed by label values find the
 * series of a label tuple on the per-event path with one Map lookup per label: no key string is built and,
 * once a tuple has been seen, nothing is allocated (prom-client hashes the label object on every call).
 * They grow as the series do, so label values must be bounded before they are looked up (LabelCap).
 */
export class MemoMap<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly make: (key: K) => V) {}

  get(key: K): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.make(key);
      this.values.set(key, value);
    }
    return value;
  }

  get size(): number {
    return this.values.size;
  }
}

/** MemoMaps nested one level per key of K, the innermost holding V. */
export type Nested<K extends readonly unknown[], V> = K extends readonly [infer First, ...infer Rest]
  ? MemoMap<First, Nested<Rest, V>>
  : V;

/**
 * `nested<[A, B], V>(2, make).get(a).get(b)` is `make([a, b])`, made on first use and the same one after.
 * `depth` is K's length (the types cannot give it at run time).
 */
export function nested<K extends readonly unknown[], V>(
  depth: K['length'],
  make: (keys: K) => V,
): Nested<K, V> {
  if (depth < 1) throw new Error('nested: depth must be at least 1');
  const level = (prefix: readonly unknown[]): MemoMap<unknown, unknown> =>
    new MemoMap((key) =>
      prefix.length + 1 === depth ? make([...prefix, key] as unknown as K) : level([...prefix, key]),
    );
  return level([]) as Nested<K, V>;
}
