// parseAckSubject (src/backends/jetstream/lease.ts), run once per JetStream delivery, against the same parse done
// by splitting the subject on dots (what it did before): nanoseconds a subject, the two in alternating rounds.
// Compiled, as the server runs: npx tsc -p tsconfig.bench.json && node dist/bench/ack-subject.js [per round] [rounds]
// (under tsx each call's arrow functions are wrapped to keep their names, which costs more than the parse).
import { pathToFileURL } from 'node:url';
import { parseAckSubject, type AckSubjectInfo } from '../src/backends/jetstream/lease.js';
import { median } from './paired.js';

/** The baseline: every token cut out, then the fields read from the array. */
function splitParse(subject: string): AckSubjectInfo | undefined {
  const t = subject.split('.');
  if (t[0] !== '$JS' || t[1] !== 'ACK') return undefined;
  const base = t.length === 9 ? 2 : t.length >= 11 ? 4 : -1;
  if (base < 0) return undefined;
  const number = (i: number): number => Number(t[base + i]);
  const info: AckSubjectInfo = {
    stream: t[base] ?? '',
    consumer: t[base + 1] ?? '',
    delivered: number(2),
    streamSeq: number(3),
    storedAt: Math.floor(number(5) / 1e6),
    pending: number(6),
  };
  const valid = [info.delivered, info.streamSeq, info.storedAt, info.pending].every(Number.isSafeInteger);
  return valid && info.delivered >= 1 ? info : undefined;
}

/** Subjects shaped as a broker's consumer gets them (names as names.ts makes them). */
function subjects(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `$JS.ACK.cemesh_default_bench-3f9a1c2d4e5b6071.q_trigger-a-0b1c2d3e4f5a6b7c.1.${100_000 + i}.` +
      `${90_000 + i}.1796701675936${String(123_456 + i).padStart(6, '0')}.${i % 50}`,
  );
}

function measure(parse: (subject: string) => AckSubjectInfo | undefined, count: number): number {
  const batch = subjects(1024);
  let pending = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) pending += parse(batch[i & 1023]!)?.pending ?? Number.NaN;
  const ns = Number(process.hrtime.bigint() - started) / count;
  if (Number.isNaN(pending)) throw new Error('a subject was not parsed');
  return ns;
}

function main(): void {
  const count = Number(process.argv[2] ?? 2_000_000);
  const rounds = Number(process.argv[3] ?? 5);
  const expected = JSON.stringify(splitParse(subjects(1)[0]!));
  if (JSON.stringify(parseAckSubject(subjects(1)[0]!)) !== expected) throw new Error('the two parses differ');
  const split: number[] = [];
  const scan: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) split.push(measure(splitParse, count));
    scan.push(measure(parseAckSubject, count));
    if (round % 2 === 1) split.push(measure(splitParse, count));
  }
  const ratio = median(scan) / median(split);
  console.log(
    `split on dots   median ${median(split).toFixed(0)} ns (${split.map((n) => n.toFixed(0)).join(' ')})`,
  );
  console.log(
    `parseAckSubject median ${median(scan).toFixed(0)} ns (${scan.map((n) => n.toFixed(0)).join(' ')})`,
  );
  console.log(`ratio ${ratio.toFixed(2)}x the split`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
