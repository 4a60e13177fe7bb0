// The routing index's match in S4's shape: 10,000 triggers with an exact `type` filter each (or the same as CESQL),
// events of 100 of those types, against one catch-all trigger (S1's shape). Nanoseconds a match, the shapes in
// alternating rounds.
// Standalone: node --import tsx bench/routing-index.ts [matches per round] [rounds]
import { pathToFileURL } from 'node:url';
import type { CloudEvent } from '../src/core/cloudevents/model.js';
import { TriggerIndex } from '../src/core/filters/index.js';
import type { TriggerFilterSpec } from '../src/core/filters/types.js';
import { median } from './paired.js';

const TRIGGERS = 10_000;
const TYPES = 100;

type Shape = 'one catch-all' | 'exact' | 'cesql';

function indexOf(shape: Shape): TriggerIndex<number> {
  const index = new TriggerIndex<number>();
  if (shape === 'one catch-all') {
    index.set('all', {}, 0);
    return index;
  }
  for (let i = 0; i < TRIGGERS; i++) {
    const type = `bench.type.${i}`;
    const spec: TriggerFilterSpec =
      shape === 'exact' ? { filters: [{ exact: { type } }] } : { filters: [{ cesql: `type = '${type}'` }] };
    index.set(`t${i}`, spec, i);
  }
  return index;
}

/** Events as the ingress makes them: each its own attributes object, type strings not shared with the index. */
function events(count: number): CloudEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    attributes: {
      specversion: '1.0',
      id: `e-${i}`,
      source: '/bench/routing',
      type: ['bench', 'type', String(i % TYPES)].join('.'),
    },
  }));
}

export function measureMatch(shape: Shape, matches: number): number {
  const index = indexOf(shape);
  const batch = events(4096);
  let found = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < matches; i++) found += index.match(batch[i & 4095]!).length;
  const ns = Number(process.hrtime.bigint() - started) / matches;
  if (found !== matches) throw new Error(`${shape}: ${found} matches for ${matches} events`);
  return ns;
}

function main(): void {
  const matches = Number(process.argv[2] ?? 2_000_000);
  const rounds = Number(process.argv[3] ?? 5);
  const shapes: Shape[] = ['one catch-all', 'exact', 'cesql'];
  const results = new Map<Shape, number[]>(shapes.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    for (const shape of round % 2 === 0 ? shapes : [...shapes].reverse())
      results.get(shape)!.push(measureMatch(shape, matches));
  }
  for (const [shape, ns] of results) {
    console.log(
      `${shape.padEnd(14)} median ${median(ns).toFixed(0)} ns a match (${ns.map((n) => n.toFixed(0)).join(' ')})`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
