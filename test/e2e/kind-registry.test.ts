// "Adding a kind is one folder plus one registry line" (issue 13): a kind defined in this file only, with a
// second served version converting to its storage version and a reconcile hook, is registered at run time
// and driven through the REST API, `cemesh apply`, `cemesh create` and `cemesh get` of a real server.
// Nothing in src names it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { registerReconcileHook } from '../../src/controlplane/reconcile/hooks.js';
import {
  conditionSet,
  markCondition,
  objectSchema,
  registerKind,
  type KindDefinition,
} from '../../src/core/resources/index.js';
import { ageColumn, readyColumn } from '../../src/core/resources/columns.js';
import type { Resource } from '../../src/core/resources/object.js';
import { runCli } from '../support/cli.js';
import { settle, startTestServer, type TestServer } from '../support/server.js';

const GROUP = 'example.cemesh.dev';
const SIZED = conditionSet(['Sized']);

/** v1 stores `spec.size`; v1alpha1 called it `spec.width`. */
function renameField(object: Resource, from: string, to: string, apiVersion: string): Resource {
  const { [from]: value, ...rest } = object.spec ?? {};
  return { ...object, apiVersion, spec: value === undefined ? rest : { ...rest, [to]: value } };
}

const widgetKind: KindDefinition = {
  kind: 'Widget',
  group: GROUP,
  versions: [
    { name: 'v1' },
    {
      name: 'v1alpha1',
      toStorage: (o) => renameField(o, 'width', 'size', `${GROUP}/v1`),
      fromStorage: (o) => renameField(o, 'size', 'width', `${GROUP}/v1alpha1`),
    },
  ],
  storageVersion: 'v1',
  plural: 'widgets',
  singular: 'widget',
  shortNames: ['wdg'],
  categories: ['example'],
  namespaced: true,
  description: 'A thing of some size, to prove kinds are added by registration.',
  content: 'spec',
  nameFormat: 'dns1123-subdomain',
  schema: objectSchema({
    description: 'A widget.',
    spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
  }),
  validate: (object) => {
    const size = (object.spec as { size?: unknown } | undefined)?.size;
    return Number.isInteger(size) && (size as number) >= 1 && (size as number) <= 10
      ? []
      : [{ field: 'spec.size', message: 'must be an integer from 1 to 10' }];
  },
  defaults: (object) => ({ ...object, spec: { color: 'blue', ...object.spec } }),
  validateUpdate: (previous, next) =>
    previous.spec?.['color'] === next.spec?.['color']
      ? []
      : [{ field: 'spec.color', message: 'is immutable' }],
  conditions: SIZED,
  printerColumns: [
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Area', type: 'integer', jsonPath: '.status.area' },
    readyColumn,
    ageColumn,
    { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
  ],
  sample: { name: 'my-widget', content: { size: 2 } },
};

let server: TestServer;
let dir: string;
let env: Record<string, string>;
const unregister: (() => void)[] = [];

before(async () => {
  unregister.push(registerKind(widgetKind));
  unregister.push(
    registerReconcileHook('Widget', {
      reconcile: (ctx, widget) => {
        const size = Number(widget.spec?.['size']);
        const conditions = markCondition(
          SIZED,
          widget.status?.conditions,
          { type: 'Sized', status: 'True', reason: 'Measured' },
          ctx.now,
        );
        return { status: { observedGeneration: widget.metadata.generation, area: size * size, conditions } };
      },
    }),
  );
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'cemesh-kind-'));
  env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
});

after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  for (const undo of unregister) undo();
});

const widget = (name: string, spec: Record<string, unknown>, version = 'v1'): Record<string, unknown> => ({
  apiVersion: `${GROUP}/${version}`,
  kind: 'Widget',
  metadata: { name, namespace: 'default' },
  spec,
});

test('the REST API serves the registered kind: create, defaults, validation, update rules, status', async () => {
  const path = `/apis/${GROUP}/v1/namespaces/default/widgets`;
  const created = await server.api('POST', path, widget('small', { size: 3 }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.spec.color, 'blue');

  const invalid = await server.api('POST', path, widget('huge', { size: 99 }));
  assert.equal(invalid.status, 422);
  assert.deepEqual(invalid.body.details.causes, [
    { field: 'spec.size', message: 'must be an integer from 1 to 10' },
  ]);

  const misspelled = await server.api('POST', path, widget('typo', { size: 3, colour: 'red' }));
  assert.equal(misspelled.status, 422);
  assert.deepEqual(misspelled.body.details.causes, [
    { field: 'spec.colour', message: 'unknown field (did you mean "color"?)' },
  ]);

  const recolored = await server.api('PUT', `${path}/small`, widget('small', { size: 3, color: 'red' }));
  assert.equal(recolored.status, 422);
  assert.match(recolored.body.message, /spec\.color: is immutable/);

  await settle(server);
  const read = await server.api('GET', `${path}/small`);
  assert.equal(read.body.status.area, 9);
  const ready = read.body.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(ready.status, 'True');
});

test('another served version converts to the storage version and back', async () => {
  const alpha = `/apis/${GROUP}/v1alpha1/namespaces/default/widgets`;
  const created = await server.api('POST', alpha, widget('old', { width: 4 }, 'v1alpha1'));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.apiVersion, `${GROUP}/v1alpha1`);
  assert.equal(created.body.spec.width, 4);
  const stored = await server.api('GET', `/apis/${GROUP}/v1/namespaces/default/widgets/old`);
  assert.equal(stored.body.apiVersion, `${GROUP}/v1`);
  assert.deepEqual(stored.body.spec, { size: 4, color: 'blue' });
  const listed = await server.api('GET', alpha);
  assert.equal(listed.body.apiVersion, `${GROUP}/v1alpha1`);
  assert.ok(listed.body.items.every((w: Resource) => w.spec?.['size'] === undefined));
});

test('cemesh apply creates it from a manifest and reports the server refusal with the path', async () => {
  const file = join(dir, 'widgets.yaml');
  await writeFile(
    file,
    [
      `apiVersion: ${GROUP}/v1`,
      'kind: Widget',
      'metadata: {name: applied}',
      'spec: {size: 5, color: green}',
      '---',
      `apiVersion: ${GROUP}/v1`,
      'kind: Widget',
      'metadata: {name: broken}',
      'spec: {size: 0}',
    ].join('\n'),
  );
  const result = await runCli(['apply', '-f', file], { env });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /widget\.example\.cemesh\.dev\/applied created/);
  assert.match(result.stderr, /spec\.size: must be an integer from 1 to 10/);
  const again = await runCli(['apply', '-f', file], { env });
  assert.match(again.stdout, /widget\.example\.cemesh\.dev\/applied unchanged/);
});

test('cemesh get prints its printer columns, the wide ones with -o wide, by any of its names', async () => {
  await settle(server);
  const table = await runCli(['get', 'wdg'], { env });
  assert.equal(table.code, 0, table.stderr);
  const [header, ...rows] = table.stdout.trim().split('\n');
  assert.deepEqual(header?.split(/\s+/), ['NAME', 'SIZE', 'AREA', 'READY', 'AGE']);
  const applied = rows.find((r) => r.startsWith('applied'));
  assert.deepEqual(applied?.split(/\s+/).slice(0, 4), ['applied', '5', '25', 'True']);

  const wide = await runCli(['get', 'widgets', 'applied', '-o', 'wide'], { env });
  const [wideHeader, wideRow] = wide.stdout.trim().split('\n');
  assert.deepEqual(wideHeader?.split(/\s+/), ['NAME', 'SIZE', 'AREA', 'READY', 'AGE', 'COLOR']);
  assert.equal(wideRow?.split(/\s+/).at(-1), 'green');

  const described = await runCli(['describe', 'widget', 'applied'], { env });
  assert.match(described.stdout, /Kind:\s+Widget \(example\.cemesh\.dev\/v1\)/);
  assert.match(described.stdout, /Sized\s+True\s+Measured/);
});

test('cemesh create builds it from its sample, and discovery serves the sample to the console', async () => {
  const dry = await runCli(['create', 'widget', 'sampled', '--dry-run'], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /kind: Widget\n[\s\S]*name: sampled\n\s+namespace: default\nspec:\n\s+size: 2/);
  const created = await runCli(['create', 'wdg', 'sampled', '-n', 'default'], { env });
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /widget\.example\.cemesh\.dev\/sampled created/);
  const again = await runCli(['create', 'widget', 'sampled'], { env });
  assert.equal(again.code, 1, 'an object that exists is refused, as kubectl create refuses it');

  const discovery = await server.api('GET', `/apis/${GROUP}/v1`);
  const resource = discovery.body.resources.find((r: { name: string }) => r.name === 'widgets');
  assert.deepEqual(resource.sample, {
    apiVersion: `${GROUP}/v1`,
    kind: 'Widget',
    metadata: { name: 'my-widget' },
    spec: { size: 2 },
  });
  const older = await server.api('GET', `/apis/${GROUP}/v1alpha1`);
  assert.equal(older.body.resources[0].sample, undefined, 'only the storage version carries it');
});
