// What undici's response parser costs per delivery with V8's optimizing compiler for WebAssembly and with the
// baseline compiler only (src/server/wasm-baseline.ts), and the process's peak RSS in each. A subscriber in a
// child process answers 202 to 1 KiB POSTs sent through an undici Pool (10 connections, 50 in flight, as a
// delivery loop sends); each mode runs in a fresh process, the two alternating.
// Standalone: node --import tsx bench/wasm-parser.ts [rounds]
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { wasmBaselineOnly } from '../src/server/wasm-baseline.js';

const self = fileURLToPath(import.meta.url);
const WINDOW_MS = 3000;

interface Measure {
  readonly perS: number;
  readonly cpuUsPerRequest: number;
  readonly peakRssMb: number;
}

async function subscriber(): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'content-length': '0' });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
}

async function sender(baseline: boolean): Promise<void> {
  if (baseline) wasmBaselineOnly();
  const child = fork(self, ['subscriber'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 10 });
  const body = Buffer.alloc(1024, 'a');
  const window = async (ms: number): Promise<{ perS: number; cpuUsPerRequest: number }> => {
    let sent = 0;
    const end = performance.now() + ms;
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (performance.now() < end) {
          const response = await pool.request({ path: '/', method: 'POST', body });
          await response.body.dump();
          sent++;
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    return { perS: sent / (ms / 1000), cpuUsPerRequest: (used.user + used.system) / sent };
  };
  await window(1000); // the parser is hot, and with tier-up recompiled, before measuring
  const measured = await window(WINDOW_MS);
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const result: Measure = { ...measured, peakRssMb: Number(hwm) / 1024 };
  console.log(JSON.stringify(result));
  await pool.close();
  child.kill();
}

function run(baseline: boolean): Measure {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', self, baseline ? 'baseline' : 'optimizing'],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Measure;
}

const mode = process.argv[2];
if (mode === 'subscriber') await subscriber();
else if (mode === 'baseline' || mode === 'optimizing') await sender(mode === 'baseline');
else {
  const rounds = Number(mode ?? 3);
  const show = (m: Measure): string =>
    `${Math.round(m.perS)}/s, ${m.cpuUsPerRequest.toFixed(1)} us CPU a request, peak RSS ${Math.round(m.peakRssMb)} MB`;
  for (let round = 1; round <= rounds; round++) {
    const optimizing = run(false);
    const baseline = run(true);
    console.log(`round ${round}: optimizing ${show(optimizing)}`);
    console.log(`round ${round}: baseline   ${show(baseline)}`);
    console.log(
      `round ${round}: baseline / optimizing CPU a request ${(baseline.cpuUsPerRequest / optimizing.cpuUsPerRequest).toFixed(2)}`,
    );
  }
}
