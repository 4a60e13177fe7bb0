import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from './manifests.js';
import { parseSince } from './commands/runtime.js';
import { envName as envVariable } from '../core/settings.js';
import { splitRef } from './names.js';

test('multi-document YAML gives one manifest per non-empty document', () => {
  const text =
    '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n';
  const manifests = parseManifests(text, 'f.yaml');
  assert.deepEqual(
    manifests.map((m) => [m.origin, m.object.metadata.name]),
    [
      ['f.yaml (document 1)', 'a'],
      ['f.yaml (document 3)', 'b'],
    ],
  );
});

test('JSON, List objects and top-level arrays expand to their items', () => {
  const list = JSON.stringify({ kind: 'List', items: [{ kind: 'Namespace', metadata: { name: 'x' } }] });
  assert.deepEqual(
    parseManifests(list, 'l.json').map((m) => [m.origin, m.object.metadata.name]),
    [['l.json item 1', 'x']],
  );
  const array = '- {kind: Namespace, metadata: {name: y}}\n- {kind: Namespace, metadata: {name: z}}\n';
  assert.deepEqual(
    parseManifests(array, 'a.yaml').map((m) => m.object.metadata.name),
    ['y', 'z'],
  );
});

test('YAML 1.2: unquoted yes and timestamps stay strings', () => {
  const [manifest] = parseManifests(
    'kind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: yes\n  t: 2024-05-01T12:00:00Z\n',
    'c',
  );
  assert.deepEqual(manifest?.object.data, { a: 'yes', t: '2024-05-01T12:00:00Z' });
});

test('a syntax error names the file, document and line', () => {
  assert.throws(
    () => parseManifests('a: 1\n---\nb: [\n', 'x.yaml'),
    /^Error: x\.yaml \(document 2\): invalid YAML\/JSON at line 4/,
  );
  assert.throws(
    () => parseManifests('a: 1\na: 2\n', 'dup.yaml'),
    /dup\.yaml: invalid YAML\/JSON at line 2, column 1: Map keys must be unique/,
  );
});

test('a document that is not a mapping is refused', () => {
  assert.throws(() => parseManifests('just text\n', 's.yaml'), /s\.yaml: a manifest must be a mapping/);
});

test('--since takes RFC 3339 times and ages', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  assert.equal(parseSince('10m', now).toISOString(), '2024-05-01T11:50:00.000Z');
  assert.equal(parseSince('1d', now).toISOString(), '2024-04-30T12:00:00.000Z');
  assert.equal(parseSince('2024-05-01T10:00:00+02:00', now).toISOString(), '2024-05-01T08:00:00.000Z');
  assert.throws(() => parseSince('2024-05-01', now), /neither an RFC 3339 time/);
  assert.throws(() => parseSince('10 minutes', now), /neither/);
});

test('serve flags map to CEMESH_<FLAG> variables', () => {
  assert.equal(envVariable('adminPort'), 'CEMESH_ADMIN_PORT');
  assert.equal(envVariable('dataDir'), 'CEMESH_DATA_DIR');
  assert.equal(envVariable('nats'), 'CEMESH_NATS');
});

test('NS/NAME references default the namespace and refuse other shapes', () => {
  assert.deepEqual(splitRef('team/orders', 'broker'), { namespace: 'team', name: 'orders' });
  assert.deepEqual(splitRef('orders', 'broker'), { namespace: 'default', name: 'orders' });
  assert.throws(() => splitRef('a/b/c', 'broker'), /not a broker reference/);
  assert.throws(() => splitRef('/b', 'broker'), /NAMESPACE\/NAME/);
});
