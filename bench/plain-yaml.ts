// What reading a large generated manifest costs `cemesh apply -f` before its first request: the plain-YAML
// reader (src/cli/plain-yaml.ts) against the `yaml` package on SA's manifest (a Broker and 10,000 Triggers,
// 2.2 MB), rounds alternating. Milliseconds for the whole manifest. Round 1 is the reader's first call in a
// fresh process, as `apply -f` makes it: to compare two trees' readers cold, run `bench/plain-yaml.ts 1` many
// times, alternating READER=<the other tree's src/cli/plain-yaml.ts> with the default.
// Standalone: [READER=path/to/plain-yaml.ts] node --import tsx bench/plain-yaml.ts [rounds]
import { parseAllDocuments } from 'yaml';
import { applyManifest, APPLY_TRIGGERS } from './scenarios/apply.js';

const reader = process.env.READER ?? '../src/cli/plain-yaml.js';
const { readPlainYaml } = (await import(reader)) as typeof import('../src/cli/plain-yaml.js');

const rounds = Number(process.argv[2] ?? 5);
const text = applyManifest(APPLY_TRIGGERS);

function ms(read: () => unknown): number {
  const started = performance.now();
  read();
  return performance.now() - started;
}

for (let round = 1; round <= rounds; round++) {
  const plain = ms(() => readPlainYaml(text));
  const yaml = ms(() => parseAllDocuments(text).map((d) => d.toJS() as unknown));
  console.log(
    `round ${round}: plain reader ${plain.toFixed(0)} ms, yaml package ${yaml.toFixed(0)} ms ` +
      `(${(plain / yaml).toFixed(2)}x), ${(text.length / 1e6).toFixed(1)} MB`,
  );
}
