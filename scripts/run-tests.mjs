#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's test runner, transpiling with tsx.
// Usage: node scripts/run-tests.mjs [path-fragment ...]   (fragments filter the files to run)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['src', 'test'];
const filters = process.argv.slice(2);
const files = roots
  .flatMap((root) => readdirSync(root, { recursive: true }).map((f) => join(root, String(f))))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((frag) => f.includes(frag)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Node 20 applies --test-timeout to each file as a whole: a test that hangs fails its file after this long
// and names it, instead of holding the run until CI gives up on it. The slowest file takes well under a
// minute; the bound leaves room for a loaded machine.
const fileTimeoutMs = 300_000;
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    `--test-timeout=${fileTimeoutMs}`,
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
