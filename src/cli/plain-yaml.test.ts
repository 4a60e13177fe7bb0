import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { readPlainYaml } from './plain-yaml.js';

/** What the `yaml` package makes of the text, or undefined when it reports an error. */
function byYaml(text: string): unknown[] | undefined {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  if (documents.some((d) => d.errors.length > 0)) return undefined;
  return documents.map((d) => d.toJS() as unknown);
}

/** Read by the fast reader: the same values as `yaml`, or left to `yaml` (undefined). */
function agrees(text: string): 'read' | 'left' {
  const fast = readPlainYaml(text);
  if (fast === undefined) return 'left';
  assert.deepEqual(fast, byYaml(text), JSON.stringify(text));
  return 'read';
}

test('plain YAML is read as the yaml package reads it', () => {
  const read = [
    '',
    '# only a comment\n',
    'a: 1\n',
    '---\na: 1\n',
    'a: 1\n---\n',
    'a: 1\n---\n---\nb: 2\n',
    '# c\n---\na: 1\n',
    'a: 1\r\nb: x\r\n',
    '---\r\na: 1\r\n---\r\nb: 2',
    'a: 1',
    'a: 1\n---',
    '   \n---\na: 1\n',
    '\r\n\r\na: 1\r\n',
    'a:\n  b:\n    c: d\n  e: f\ng: h\n',
    'a:\n- x\n- y\nb: 1\n',
    'a:\n  - x\n  - y\n',
    'items:\n- name: a\n  value: 1\n- name: b\n  list:\n  - p\n  - q\n- plain\n- - nested\n  - seq\n',
    'a: []\nb: {}\nc: ~\nd: null\ne: Null\nf:\n',
    'i: 12\nj: -7\nk: +3\nl: 007\nm: 1.5\nn: -1.5e3\no: .5\np: 12.\nq: 1_000\nr: 2024-01-01\n',
    't: true\nu: False\nv: TRUE\nw: yes\nx: no\ny: on\n',
    'uri: http://127.0.0.1:9/path?q=1\nref: a:b\nd: -dash\ns: it is (fine) $x\n',
    'q1: "double"\nq2: \'single\'\nq3: \'it\'\'s\'\nq4: ""\nq5: "a: b # c"\n"quoted key": 1\n\'k2\': 2\n',
    'metadata:\n  annotations:\n    eventing.cemesh.dev/persistence: embedded\n    a.b/c-d_e: "1"\n',
    '  indented: 1\n  top: 2\n',
    'a: 1   \n\n\nb:    2\n',
  ];
  for (const text of read) assert.equal(agrees(text), 'read', JSON.stringify(text));
});

test('anything else is left to the yaml package, which words the errors', () => {
  const left = [
    'a: 1\na: 2\n',
    'a:\n  b: 1\n  b: 2\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: [1, 2]\n',
    'a: {b: 1}\n',
    'a: |\n  text\n',
    'a: >\n  text\n',
    'a: "esc\\n"\n',
    'a: 1 # comment\n',
    'a: # comment\n  b: 1\n',
    'a: multi\n  line\n',
    'a: "open\n  close"\n',
    'a: b: c\n',
    '? complex\n: key\n',
    '%YAML 1.2\n---\na: 1\n',
    'a: 1\r',
    'a: 1\r\r\nb: 2\n',
    'a: 1\n...\n',
    '--- a: 1\n',
    '---  # c\na: 1\n',
    'a:\tb\n',
    '\ta: 1\n',
    'true: 1\n',
    'null: 1\n',
    '__proto__: 1\n',
    'a b: 1\n',
    '1: x\n',
    'just a scalar\n',
    'a: 0x1f\n',
    'a: 0o17\n',
    'a: .inf\n',
    'a: -\n',
    'a: @x\n',
    'a:\n  - x\n  b: 1\n',
    'a: 1\n  b: 2\n',
    '- a\nb: 1\n',
    '\uFEFFa: 1\n',
  ];
  for (const text of left) assert.equal(readPlainYaml(text), undefined, JSON.stringify(text));
});

test('manifests of this repository and generated ones: read the same, and generated ones read fast', () => {
  const files = [
    ...readdirSync('test/manifests')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join('test/manifests', f)),
    ...readdirSync('test/manifests/invalid')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join('test/manifests/invalid', f)),
    'examples/tour.yaml',
  ];
  for (const file of files) agrees(readFileSync(file, 'utf8'));
  const generated = Array.from({ length: 50 }, (_, i) => ({
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name: `t${i}`, namespace: 'default', labels: { n: String(i), on: 'yes' } },
    spec: {
      broker: 'default',
      filters: [{ exact: { type: `bench.type.${i}` } }, { prefix: { source: '/x' } }],
      subscriber: { uri: 'http://127.0.0.1:9/' },
      delivery: { retry: i, backoffDelay: 'PT0.2S', note: "it's: #1" },
    },
  }));
  assert.equal(agrees(generated.map((o) => stringify(o)).join('---\n')), 'read');
  assert.equal(agrees(stringify({ kind: 'List', items: generated })), 'read');
});
