import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allKinds as catalogKinds,
  findKind as catalogFindKind,
  registerKind as registerEntry,
} from './catalog.js';
import { isGroupVersion, type KindDefinition } from './kind.js';
import { allKinds, findKind, findKindOf } from './registry.js';

const lookups: { apiVersion: string; kind: string; found?: string }[] = [
  { apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', found: 'Trigger v1' },
  { apiVersion: 'eventing.knative.dev/v1', kind: 'trigger', found: 'Trigger v1' },
  { apiVersion: 'eventing.knative.dev/v1', kind: 'BROKER', found: 'Broker v1' },
  { apiVersion: 'eventing.knative.dev/v1alpha1', kind: 'Trigger', found: 'Trigger v1alpha1' },
  { apiVersion: 'v1', kind: 'ConfigMap', found: 'ConfigMap v1' },
  { apiVersion: 'v1', kind: 'Namespace', found: 'Namespace v1' },
  { apiVersion: 'eventing.knative.dev/v2', kind: 'Trigger' },
  { apiVersion: 'eventing.knative.dev', kind: 'Trigger' },
  { apiVersion: 'eventing.knative.devv1', kind: 'Trigger' },
  { apiVersion: 'eventing.knative.de/v1', kind: 'Trigger' },
  { apiVersion: 'x/eventing.knative.dev/v1', kind: 'Trigger' },
  { apiVersion: 'eventing.knative.dev/v1', kind: 'Triggers' },
  { apiVersion: 'eventing.knative.dev/v1', kind: 'Trigge' },
  { apiVersion: 'v1', kind: 'Trigger' },
  { apiVersion: '', kind: 'ConfigMap' },
];

for (const { apiVersion, kind, found } of lookups) {
  test(`findKindOf(${JSON.stringify(apiVersion)}, ${kind}) is ${found ?? 'not served'}`, () => {
    const served = findKindOf(apiVersion, kind);
    assert.equal(served && `${served.kind.kind} ${served.version.name}`, found);
  });
}

test('findKindOf hands out one answer per kind version', () => {
  assert.equal(
    findKindOf('eventing.knative.dev/v1', 'Trigger'),
    findKindOf('eventing.knative.dev/v1', 'trigger'),
  );
});

const groupVersions: [apiVersion: string, group: string, version: string, expected: boolean][] = [
  ['v1', '', 'v1', true],
  ['v1', '', 'v2', false],
  ['/v1', '', 'v1', false],
  ['a.b/v1', 'a.b', 'v1', true],
  ['a.b/v1', 'a.c', 'v1', false],
  ['a.b/v1', 'a.b', 'v2', false],
  ['a.bv1x', 'a.b', 'v1', false],
  ['a.b/v1/x', 'a.b', 'v1', false],
  ['a.b.v1', 'a.b', 'v1', false],
];

for (const [apiVersion, group, version, expected] of groupVersions) {
  test(`isGroupVersion(${apiVersion}, ${group || '(core)'}, ${version}) is ${expected}`, () => {
    assert.equal(isGroupVersion(apiVersion, group, version), expected);
  });
}

test('every kind in the catalog has its definition once the registry is loaded', () => {
  const definitions = allKinds();
  assert.deepEqual(
    definitions.map((k) => k.kind),
    catalogKinds().map((k) => k.kind),
  );
  for (const kind of definitions) assert.equal(typeof kind.validate, 'function', kind.kind);
  // The catalog hands out the same objects, so a client in the server's process sees the definitions.
  assert.equal(catalogFindKind('trigger'), findKind('trigger'));
});

test('a kind in the catalog without a definition is named when the server looks it up', () => {
  const { schema: _schema, validate: _validate, conditions: _conditions, ...entry } = gadget();
  const remove = registerEntry(entry);
  try {
    assert.equal(catalogFindKind('gadget')?.kind, 'Gadget');
    assert.throws(() => findKind('gadget'), /kind Gadget is in the catalog without its definition/);
  } finally {
    remove();
  }
});

function gadget(): KindDefinition {
  return {
    ...findKind('applicationmapping')!,
    kind: 'Gadget',
    plural: 'gadgets',
    singular: 'gadget',
    shortNames: [],
  };
}
