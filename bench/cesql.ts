/**
 * CESQL micro-benchmark: compile time, and evaluation cost of typical filters next to the equivalent Trigger
 * filter built by compileTriggerFilter, in the same run. Goal (docs/cesql.md): simple equality at most 3x
 * the exact filter.
 *
 *   node --import tsx bench/cesql.ts
 */
import { pathToFileURL } from 'node:url';
import type { CloudEvent } from '../src/core/cloudevents/model.js';
import { compileCesql, compileCesqlPredicate } from '../src/core/cesql/index.js';
import { compileCesqlFilter } from '../src/core/filters/cesql.js';
import { compileTriggerFilter } from '../src/core/filters/index.js';
import { runWorstCases } from './cesql-worst.js';

export interface CesqlBenchRow {
  name: string;
  nsPerOp: number;
  /** CESQL cost divided by the equivalent Trigger filter's, for rows that have one. */
  ratio?: number;
}

/** Events the predicates run over, in turn: half match the type filters, all carry every attribute used. */
const EVENTS: readonly CloudEvent[] = [
  'com.example.order.created',
  'com.example.order.shipped',
  'com.example.order.created',
  'org.other.thing',
].map((type, i) => ({
  attributes: {
    specversion: '1.0',
    id: `id-${i}`,
    source: i % 2 === 0 ? 'https://shop.example/orders' : 'http://legacy/orders',
    type,
    region: i === 3 ? 'apac' : 'eu',
    tenant: i === 2 ? 'test' : 'acme',
    sequence: i,
  },
}));

const TYPES = Array.from({ length: 10 }, (_, i) => `com.example.kind${i}`);
TYPES[7] = 'com.example.order.created';

interface Case {
  readonly name: string;
  readonly cesql: string;
  readonly filter?: { filters: unknown[] };
}

const CASES: readonly Case[] = [
  {
    name: 'type equality',
    cesql: "type = 'com.example.order.created'",
    filter: { filters: [{ exact: { type: 'com.example.order.created' } }] },
  },
  {
    name: 'LIKE prefix',
    cesql: "type LIKE 'com.example.order.%'",
    filter: { filters: [{ prefix: { type: 'com.example.order.' } }] },
  },
  {
    name: 'LIKE suffix',
    cesql: "type LIKE '%.created'",
    filter: { filters: [{ suffix: { type: '.created' } }] },
  },
  {
    name: 'IN with 10 items',
    cesql: `type IN (${TYPES.map((t) => `'${t}'`).join(', ')})`,
    filter: { filters: [{ any: TYPES.map((type) => ({ exact: { type } })) }] },
  },
  {
    name: '5-clause AND/OR',
    cesql:
      "type = 'com.example.order.created' AND source LIKE 'https://%' AND (region = 'eu' OR region = 'us') AND tenant != 'test'",
    filter: {
      filters: [
        { exact: { type: 'com.example.order.created' } },
        { prefix: { source: 'https://' } },
        { any: [{ exact: { region: 'eu' } }, { exact: { region: 'us' } }] },
        { not: { exact: { tenant: 'test' } } },
      ],
    },
  },
  { name: 'integer arithmetic', cesql: 'sequence * 2 + 1 > 3 AND sequence % 2 = 0' },
  { name: 'string functions', cesql: "UPPER(SUBSTRING(type, 1, 11)) = 'COM.EXAMPLE'" },
];

let sink = 0;

/** Calls per timed batch: enough for about 10 ms of the slowest operation. */
function batchSize(op: (i: number) => unknown): number {
  for (let batch = 1000; ; batch *= 2) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) if (op(i)) sink++;
    if (Number(process.hrtime.bigint() - started) > 10e6 || batch >= 1 << 24) return batch;
  }
}

/**
 * ns per call of each operation. The operations are timed in turns, round after round, and each keeps its
 * best batch: on a shared machine other work only ever adds time, so the minimum is the steadiest estimate,
 * and taking turns exposes the operations of one comparison to the same conditions.
 */
function measure(...ops: ReadonlyArray<(i: number) => unknown>): number[] {
  const batch = Math.min(...ops.map(batchSize));
  const best = ops.map(() => Infinity);
  for (let round = 0; round < 15; round++) {
    ops.forEach((op, k) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) if (op(i)) sink++;
      best[k] = Math.min(best[k]!, Number(process.hrtime.bigint() - started) / batch);
    });
  }
  return best;
}

const eventAt = (i: number): CloudEvent => EVENTS[i & 3]!;

export async function runCesqlBench(): Promise<CesqlBenchRow[]> {
  const rows: CesqlBenchRow[] = [];
  const longest = CASES[4]!.cesql;
  const [compile] = measure(() => compileCesql(longest));
  rows.push({ name: 'compile 5-clause expression', nsPerOp: compile! });
  for (const c of CASES) {
    const cesql = compileCesqlFilter(c.cesql);
    if (c.filter === undefined) {
      const [nsPerOp] = measure((i) => cesql(eventAt(i)));
      rows.push({ name: `cesql ${c.name}`, nsPerOp: nsPerOp! });
      continue;
    }
    const filter = compileTriggerFilter(c.filter);
    const [baseline, nsPerOp] = measure(
      (i) => filter(eventAt(i)),
      (i) => cesql(eventAt(i)),
    );
    rows.push({ name: `trigger filter ${c.name}`, nsPerOp: baseline! });
    rows.push({ name: `cesql ${c.name}`, nsPerOp: nsPerOp!, ratio: nsPerOp! / baseline! });
  }
  const program = compileCesql(CASES[0]!.cesql);
  const predicate = compileCesqlPredicate("missing = 'x'");
  const [evaluate, missing] = measure(
    (i) => program.evaluate(eventAt(i)).value,
    (i) => predicate(eventAt(i)),
  );
  rows.push({ name: 'cesql type equality via evaluate()', nsPerOp: evaluate! });
  rows.push({ name: 'cesql missing attribute (error path)', nsPerOp: missing! });
  rows.push(...runWorstCases());
  await Promise.resolve();
  return rows;
}

function printTable(rows: readonly CesqlBenchRow[]): void {
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`${'benchmark'.padEnd(width)}  ${'ns/op'.padStart(10)}  ${'ratio'.padStart(6)}`);
  for (const row of rows) {
    const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`;
    console.log(`${row.name.padEnd(width)}  ${row.nsPerOp.toFixed(1).padStart(10)}  ${ratio.padStart(6)}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runCesqlBench();
  printTable(rows);
  if (sink < 0) console.log(sink);
}
