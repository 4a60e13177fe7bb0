// How long an fdatasync of a small write takes on the disk that holds the system's temporary folder (where the
// benchmarks' data folders are): the floor under the embedded backend's acknowledgement, which waits for one.
// Writes 4 KiB at rotating offsets of one file and syncs it, N times, with an optional pause between.
// Standalone: node --import tsx bench/fsync-latency.ts [count] [pause-ms]
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const count = Number(process.argv[2] ?? 3000);
const pauseMs = Number(process.argv[3] ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'cemesh-fsync-'));
const fd = openSync(join(dir, 'wal'), 'w');
const page = Buffer.alloc(4096, 1);
const took: number[] = [];
for (let i = 0; i < count; i++) {
  writeSync(fd, page, 0, page.length, (i % 256) * page.length);
  const started = performance.now();
  fdatasyncSync(fd);
  took.push(performance.now() - started);
  const until = performance.now() + pauseMs;
  while (performance.now() < until); // a busy pause, so that the disk sees a steady rate, not a burst
}
closeSync(fd);
rmSync(dir, { recursive: true });
took.sort((a, b) => a - b);
const at = (q: number): string =>
  (took[Math.min(took.length - 1, Math.floor(q * took.length))] ?? 0).toFixed(2);
console.log(
  `${count} fdatasync of 4 KiB, ${pauseMs} ms apart: p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} ` +
    `p99.9 ${at(0.999)} max ${at(1)} ms`,
);
