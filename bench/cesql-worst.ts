/**
 * The costliest filters admission lets through (docs/security.md), per event: a LIKE pattern of the most
 * code points a pattern may have, mostly `_` so that no literal search applies, against the longest
 * attribute value an event can carry (a structured event's 1 MiB body), alone and as many times as one
 * expression may hold. Timed a few calls at a time, best of several: each call takes milliseconds.
 */
import type { CloudEvent } from '../src/core/cloudevents/model.js';
import { MAX_LIKE_PATTERN, MAX_LIKE_TOTAL } from '../src/core/cesql/parser.js';
import { compileCesqlFilter } from '../src/core/filters/cesql.js';

export interface WorstRow {
  name: string;
  nsPerOp: number;
}

/** `a_a_…_b` of MAX_LIKE_PATTERN code points inside `%…%`: every text position advances the automaton. */
const PATTERN = `%${'a_'.repeat((MAX_LIKE_PATTERN - 3) / 2)}b%`;

function eventWith(value: string): CloudEvent {
  return { attributes: { specversion: '1.0', id: '1', source: '/s', type: 't', big: value } };
}

function bestOf(rounds: number, op: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    op();
    best = Math.min(best, Number(process.hrtime.bigint() - started));
  }
  return best;
}

export function runWorstCases(): WorstRow[] {
  const single = `big LIKE '${PATTERN}'`;
  const clauses = Math.floor(MAX_LIKE_TOTAL / [...PATTERN].length);
  const many = Array.from({ length: clauses }, () => single).join(' OR ');
  const rows: WorstRow[] = [];
  for (const [label, value] of [
    ['100 B', 'a'.repeat(100)],
    ['16 KiB (a binary-mode header)', 'a'.repeat(16 * 1024)],
    ['1 MiB (a structured body)', 'a'.repeat(1024 * 1024)],
  ] as const) {
    const event = eventWith(value);
    const one = compileCesqlFilter(single);
    const all = compileCesqlFilter(many);
    rows.push({
      name: `worst LIKE (${MAX_LIKE_PATTERN} points), value ${label}`,
      nsPerOp: bestOf(7, () => one(event)),
    });
    rows.push({
      name: `worst expression (${clauses} such LIKEs), value ${label}`,
      nsPerOp: bestOf(7, () => all(event)),
    });
  }
  return rows;
}
