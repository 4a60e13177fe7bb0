/**
 * Heap snapshots summarised for the memory benchmarks: self sizes by object kind (V8 constructor or internal
 * type), and the growth between two of them per unit (per queued event, per applied trigger).
 */
import v8 from 'node:v8';

export type HeapByKind = Map<string, { count: number; bytes: number }>;

/** Self sizes summed by node type and name over the whole heap. */
export async function heapByKind(): Promise<HeapByKind> {
  (globalThis as { gc?: () => void }).gc?.();
  const chunks: string[] = [];
  for await (const chunk of v8.getHeapSnapshot()) chunks.push(String(chunk));
  const snapshot = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const byKind = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!] ?? '?';
    const rawName = snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '?';
    // Strings are named by their content: fold them into one row per type.
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : rawName;
    const key = `${type} ${name}`.slice(0, 60);
    const entry = byKind.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    byKind.set(key, entry);
  }
  return byKind;
}

/** Prints the kinds that grew by more than 4 bytes per unit, largest first. */
export function printHeapGrowth(before: HeapByKind, after: HeapByKind, units: number, unit: string): void {
  const rows = [...after]
    .map(([key, a]) => {
      const b = before.get(key) ?? { count: 0, bytes: 0 };
      return { key, count: a.count - b.count, bytes: a.bytes - b.bytes };
    })
    .filter((r) => r.bytes > units * 4)
    .sort((x, y) => y.bytes - x.bytes);
  for (const r of rows) {
    const bytes = (r.bytes / units).toFixed(1).padStart(8);
    const count = (r.count / units).toFixed(2).padStart(6);
    console.log(`${bytes} B/${unit} ${count} obj/${unit}  ${r.key}`);
  }
}
