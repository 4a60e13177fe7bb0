import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError, type ErrorCode } from '../../core/errors.js';
import { findKind } from '../../core/resources/index.js';
import { collectionPath, parseApiPath, resourceName } from './router.js';

function describeRoute(path: string): string {
  const route = parseApiPath(path);
  if (route === undefined) return 'none';
  const parts = [route.type, route.kind.kind, route.namespace ?? '-'];
  if (route.type !== 'collection') parts.push(route.name);
  if (route.type === 'action') parts.push(route.action);
  return parts.join(' ');
}

const routes: [path: string, expected: string][] = [
  ['/api/v1/namespaces', 'collection Namespace -'],
  ['/api/v1/namespaces/', 'collection Namespace -'],
  ['/api/v1/namespaces/team-a', 'item Namespace - team-a'],
  ['/api/v1/namespaces/team-a/configmaps', 'collection ConfigMap team-a'],
  ['/api/v1/namespaces/team-a/configmaps/config-br-defaults', 'item ConfigMap team-a config-br-defaults'],
  ['/api/v1/configmaps', 'collection ConfigMap -'],
  ['/apis/eventing.knative.dev/v1/namespaces/default/brokers', 'collection Broker default'],
  ['/apis/eventing.knative.dev/v1/namespaces/default/brokers/b', 'item Broker default b'],
  ['/apis/eventing.knative.dev/v1/namespaces/default/brokers/b/tail', 'action Broker default b tail'],
  ['/apis/eventing.knative.dev/v1/brokers', 'collection Broker -'],
  ['/apis/eventing.knative.dev/v1/namespaces/default/triggers/t%20x', 'item Trigger default t x'],
  ['/apis/applicationconnector.kyma-project.io/v1alpha1/applications', 'collection Application -'],
  [
    '/apis/applicationconnector.kyma-project.io/v1alpha1/applications/shop/token',
    'action Application - shop token',
  ],
  ['/healthz', 'none'],
  ['/', 'none'],
  ['/api', 'none'],
  ['/apis/x', 'none'],
];

for (const [path, expected] of routes) {
  test(`${path} routes to ${expected}`, () => {
    assert.equal(describeRoute(path), expected);
  });
}

const failures: [path: string, code: ErrorCode, mention: string][] = [
  ['/apis/eventing.knative.dev/v1/namespaces/default/brokerz', 'MESH_KIND_UNKNOWN', 'brokerz'],
  ['/apis/eventing.knative.dev/v2/brokers', 'MESH_KIND_UNKNOWN', 'eventing.knative.dev/v2'],
  ['/apis/example.com/v1/widgets', 'MESH_KIND_UNKNOWN', 'widgets'],
  ['/api/v2/namespaces', 'MESH_KIND_UNKNOWN', 'v2'],
  ['/apis/eventing.knative.dev/v1/brokers/b', 'MESH_NOT_FOUND', 'namespaced'],
  [
    '/apis/applicationconnector.kyma-project.io/v1alpha1/namespaces/x/applications',
    'MESH_NOT_FOUND',
    'cluster-scoped',
  ],
  ['/apis/eventing.knative.dev/v1/namespaces/default/brokers/b/tail/more', 'MESH_NOT_FOUND', 'tail/more'],
  ['/api/v1//namespaces', 'MESH_NOT_FOUND', '//'],
  ['/api/v1/namespaces/%E0%A4%A', 'MESH_REQUEST_INVALID', '%E0%A4%A'],
];

for (const [path, code, mention] of failures) {
  test(`${path} is answered with ${code}`, () => {
    assert.throws(
      () => parseApiPath(path),
      (e: unknown) => e instanceof MeshError && e.code === code && e.message.includes(mention),
    );
  });
}

test('resource names and collection paths follow Kubernetes', () => {
  const broker = findKind('broker');
  const cm = findKind('cm');
  assert.ok(broker && cm);
  assert.equal(resourceName(broker), 'brokers.eventing.knative.dev');
  assert.equal(resourceName(cm), 'configmaps');
  assert.equal(collectionPath(broker, 'a b'), '/apis/eventing.knative.dev/v1/namespaces/a%20b/brokers');
  assert.equal(collectionPath(broker), '/apis/eventing.knative.dev/v1/brokers');
  assert.equal(collectionPath(cm, 'x'), '/api/v1/namespaces/x/configmaps');
});
