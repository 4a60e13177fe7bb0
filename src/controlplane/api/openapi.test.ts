import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../core/resources/index.js';
import {
  definitionName,
  documentPath,
  openApiV2Document,
  openApiV3Document,
  openApiV3Root,
  published,
} from './openapi.js';

type Json = Record<string, any>;

test('the v3 root names one document per served group/version, with a hash', () => {
  const root = openApiV3Root() as { paths: Record<string, { serverRelativeURL: string }> };
  for (const kind of allKinds()) {
    for (const { name } of kind.versions) {
      const entry = root.paths[documentPath(kind.group, name)];
      assert.ok(entry, `${kind.kind} ${name}`);
      assert.match(entry.serverRelativeURL, /^\/openapi\/v3\/apis?\/.+\?hash=[0-9A-F]{64}$/);
    }
  }
  assert.deepEqual(openApiV3Root(), root, 'the same kinds give the same hashes');
});

test("a kind's schema carries its group/version/kind, its fields and descriptions (what explain reads)", () => {
  const doc = openApiV3Document('eventing.knative.dev', 'v1') as Json;
  const broker = doc.components.schemas['dev.knative.eventing.v1.Broker'];
  assert.deepEqual(broker['x-kubernetes-group-version-kind'], [
    { group: 'eventing.knative.dev', kind: 'Broker', version: 'v1' },
  ]);
  assert.equal(
    broker.properties.metadata.$ref,
    '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  );
  assert.match(broker.properties.spec.description, /configuration/);
  // A described reference keeps its description beside the $ref through allOf.
  assert.deepEqual(broker.properties.spec.properties.config.allOf, [
    { $ref: '#/components/schemas/dev.knative.pkg.apis.duck.v1.KReference' },
  ]);
  const trigger = doc.components.schemas['dev.knative.eventing.v1.Trigger'];
  assert.match(
    trigger.properties.spec.properties.brokerRef.description,
    /^Not supported by cemesh: the field is not supported/,
  );
  // Every reference resolves inside the document.
  for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
    assert.ok(doc.components.schemas[ref[1] ?? ''], `${ref[1]} is defined`);
});

test('PATCH operations declare fieldValidation, so kubectl lets the server validate fields', () => {
  const doc = openApiV3Document('eventing.knative.dev', 'v1') as Json;
  const item = doc.paths['/apis/eventing.knative.dev/v1/namespaces/{namespace}/triggers/{name}'];
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], {
    group: 'eventing.knative.dev',
    version: 'v1',
    kind: 'Trigger',
  });
  assert.ok(item.patch.parameters.some((p: Json) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.deepEqual(Object.keys(item.patch.requestBody.content), [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ]);
  assert.ok(doc.paths['/apis/eventing.knative.dev/v1/triggers'].get, 'every namespace');
  const core = openApiV3Document('', 'v1') as Json;
  assert.ok(core.paths['/api/v1/namespaces/{name}'].patch, 'cluster-scoped Namespace');
  assert.ok(core.components.schemas['io.k8s.api.core.v1.ConfigMap']);
});

test('an older served version is published open, for the server to check after conversion', () => {
  const older = allKinds().flatMap((k) =>
    k.versions.filter((v) => v.name !== k.storageVersion).map((v) => [k, v.name] as const),
  );
  for (const [kind, version] of older) {
    const doc = openApiV3Document(kind.group, version) as Json;
    const schema = doc.components.schemas[definitionName(kind, version)];
    assert.equal(schema['x-kubernetes-preserve-unknown-fields'], true);
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [
      { group: kind.group, kind: kind.kind, version },
    ]);
  }
});

test('an unserved group/version has no document', () => {
  assert.equal(openApiV3Document('eventing.knative.dev', 'v9'), undefined);
  assert.equal(openApiV3Document('example.com', 'v1'), undefined);
});

test('v2 is Swagger 2.0: definitions, #/definitions references, typed parameters and a body parameter', () => {
  const doc = openApiV2Document() as Json;
  assert.equal(doc.swagger, '2.0');
  const text = JSON.stringify(doc);
  assert.doesNotMatch(text, /#\/components\//);
  for (const ref of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g))
    assert.ok(doc.definitions[ref[1] ?? ''], `${ref[1]} is defined`);
  assert.deepEqual(doc.definitions['dev.knative.eventing.v1.Trigger']['x-kubernetes-group-version-kind'], [
    { group: 'eventing.knative.dev', kind: 'Trigger', version: 'v1' },
  ]);
  const patch = doc.paths['/apis/eventing.knative.dev/v1/namespaces/{namespace}/brokers/{name}'].patch;
  assert.deepEqual(patch.parameters.find((p: Json) => p.in === 'body').schema, {
    $ref: '#/definitions/dev.knative.eventing.v1.Broker',
  });
  assert.equal(patch.parameters.find((p: Json) => p.name === 'force').type, 'boolean');
});

test('published: refs move, refused fields say why, nested schemas follow', () => {
  assert.deepEqual(
    published(
      {
        type: 'object',
        properties: {
          a: { $ref: '#/components/schemas/X' },
          b: { type: 'array', items: { $ref: '#/components/schemas/Y', description: 'why' } },
          c: { 'x-cemesh-not-supported': 'is refused' },
        },
      },
      '#/definitions/',
    ),
    {
      type: 'object',
      properties: {
        a: { $ref: '#/definitions/X' },
        b: { type: 'array', items: { description: 'why', allOf: [{ $ref: '#/definitions/Y' }] } },
        c: {
          'x-cemesh-not-supported': 'is refused',
          description: 'Not supported by cemesh: the field is refused.',
        },
      },
    },
  );
});
