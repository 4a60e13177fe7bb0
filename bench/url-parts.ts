// What a URL parse costs against a remembered one (src/core/url-parts.ts): 10,000 triggers naming a few
// subscriber URIs between them, each URI parsed as admission and wiring parse it. Nanoseconds per call,
// rounds alternating.
// Standalone: node --import tsx bench/url-parts.ts [rounds]
import { urlParts } from '../src/core/url-parts.js';

const rounds = Number(process.argv[2] ?? 5);
const CALLS = 100_000;
const uris = [
  'http://127.0.0.1:9/',
  'http://subscriber.default.svc.cluster.local/',
  'https://example.com/hook?x=1',
];

let sink = 0;
function timed(label: string, parse: (text: string) => string): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) sink += parse(uris[i % uris.length]!).length;
  const ns = Number(process.hrtime.bigint() - started) / CALLS;
  console.log(`  ${label.padEnd(12)} ${ns.toFixed(0)} ns a call`);
  return ns;
}

const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  console.log(`round ${round + 1}`);
  const parsed = timed('new URL', (text) => new URL(text).hostname);
  const remembered = timed('urlParts', (text) => urlParts(text)!.hostname);
  ratios.push(remembered / parsed);
}
ratios.sort((a, b) => a - b);
console.log(
  `urlParts / new URL, median of ${rounds}: ${ratios[Math.floor(rounds / 2)]!.toFixed(3)}x (${sink > 0 ? 'ok' : ''})`,
);
