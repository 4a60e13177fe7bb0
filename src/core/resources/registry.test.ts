import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGroupVersion } from './kind.js';
import { findKindOf } from './registry.js';

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
