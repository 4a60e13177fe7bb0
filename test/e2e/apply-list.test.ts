// `cemesh apply -f` of a large manifest goes through the API's apply List (POST /apis/cemesh.dev/v1/apply) in
// chunks: every object gets its kubectl-style line in manifest order, the invalid ones the error the
// single-object API gives, the valid ones are stored and reach Ready, and a re-apply says unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { settle, startTestServer } from '../support/server.js';

const TRIGGERS = 800;
const CONFIGMAPS = 700;

function trigger(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name, namespace: 'bulk' },
    spec: {
      broker: 'default',
      filter: { attributes: { type: `type.${name}` } },
      subscriber: { uri: 'http://127.0.0.1:9/' },
      ...extra,
    },
  };
}

function configMap(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'bulk' }, data: { key: name } };
}

/** The objects that must fail: an unknown field (Strict), a namespace that does not exist, an invalid spec. */
const invalid = [
  { object: trigger('unknown-field', { colour: 'blue' }) },
  { object: { ...trigger('no-namespace'), metadata: { name: 'no-namespace', namespace: 'missing' } } },
  { object: trigger('bad-subscriber', { subscriber: {} }) },
];

test('apply -f of 1,500 mixed objects: lines in manifest order, per-object errors, Ready, then unchanged', async () => {
  const server = await startTestServer();
  const dir = await mkdtemp(join(tmpdir(), 'cemesh-apply-list-'));
  try {
    const env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
    const objects: Record<string, unknown>[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bulk' } },
      {
        apiVersion: 'eventing.knative.dev/v1',
        kind: 'Broker',
        metadata: { name: 'default', namespace: 'bulk' },
      },
    ];
    for (let i = 0; i < Math.max(TRIGGERS, CONFIGMAPS); i++) {
      if (i < TRIGGERS) objects.push(trigger(`t${i}`));
      if (i < CONFIGMAPS) objects.push(configMap(`c${i}`));
      // The invalid objects sit among the valid ones, in different chunks.
      const bad = i % 300 === 150 ? invalid[(i - 150) / 300] : undefined;
      if (bad !== undefined) objects.push(bad.object);
    }
    // t7 again, changed: created earlier in the manifest, configured here.
    objects.push(trigger('t7', { filter: { attributes: { type: 'changed' } } }));
    assert.ok(objects.length >= 1500, String(objects.length));
    const file = join(dir, 'many.yaml');
    await writeFile(file, objects.map((o) => stringify(o)).join('---\n'));

    const first = await runCli(['apply', '-f', file], { env });
    assert.equal(first.code, 1, 'the invalid objects fail the command');
    const lines = first.stdout.trimEnd().split('\n');
    const expected = objects
      .filter((o) => !invalid.some((bad) => bad.object === o))
      .map((o, index, valid) => {
        const kind =
          o.kind === 'ConfigMap'
            ? 'configmap'
            : o.kind === 'Namespace'
              ? 'namespace'
              : `${String(o.kind).toLowerCase()}.eventing.knative.dev`;
        const name = (o.metadata as { name: string }).name;
        const earlier = valid
          .slice(0, index)
          .some((e) => e.kind === o.kind && (e.metadata as { name: string }).name === name);
        return `${kind}/${name} ${earlier ? 'configured' : 'created'}`;
      });
    assert.deepEqual(lines, expected);

    // Each invalid object's error is the one the single-object API answers for it.
    const errors = first.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('error: '));
    assert.equal(errors.length, invalid.length, first.stderr);
    for (const [i, bad] of invalid.entries()) {
      const metadata = bad.object.metadata as { name: string; namespace: string };
      const single = await server.api(
        'POST',
        `/apis/eventing.knative.dev/v1/namespaces/${metadata.namespace}/triggers`,
        bad.object,
      );
      assert.ok(single.status >= 400, JSON.stringify(single.body));
      const document = objects.indexOf(bad.object) + 1;
      assert.equal(
        errors[i],
        `error: ${file} (document ${document}), "${metadata.name}": ${single.body.message}`,
      );
      for (const cause of single.body.details?.causes ?? [])
        assert.ok(first.stderr.includes(`  ${cause.field}: ${cause.message}`), cause.field);
    }

    await settle(server);
    const listed = await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/bulk/triggers');
    assert.equal(listed.body.items.length, TRIGGERS);
    const t7 = listed.body.items.find((t: any) => t.metadata.name === 't7');
    assert.equal(t7.spec.filter.attributes.type, 'changed');
    let notReady = TRIGGERS;
    for (const deadline = Date.now() + 60_000; notReady > 0 && Date.now() < deadline;) {
      const items = (await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/bulk/triggers')).body
        .items;
      notReady = items.filter(
        (t: any) => !t.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
      ).length;
      if (notReady > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(notReady, 0, 'every stored trigger is Ready');
    const configMaps = await server.api('GET', '/api/v1/namespaces/bulk/configmaps');
    assert.equal(configMaps.body.items.length, CONFIGMAPS);

    // Re-applied as it is: t7's first version is a change again, then its second; everything else unchanged.
    const again = await runCli(['apply', '-f', file], { env });
    assert.equal(again.code, 1);
    const changed = again.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => !l.endsWith(' unchanged'));
    assert.deepEqual(changed, [
      'trigger.eventing.knative.dev/t7 configured',
      'trigger.eventing.knative.dev/t7 configured',
    ]);
    assert.equal(again.stdout.trimEnd().split('\n').length, expected.length);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the apply List over HTTP: bounded, a List only, and each item answered as the single-object API would', async () => {
  const server = await startTestServer();
  try {
    const path = '/apis/cemesh.dev/v1/apply';
    const tooMany = await server.api('POST', path, { kind: 'List', items: new Array(1001).fill({}) });
    assert.equal(tooMany.status, 413);
    assert.match(tooMany.body.message, /holds 1001 objects; one request applies at most 1000/);
    const notList = await server.api('POST', path, { kind: 'TriggerList', objects: [] });
    assert.equal(notList.status, 422);
    assert.deepEqual(
      notList.body.details.causes.map((c: { field: string }) => c.field),
      ['objects', 'kind', 'items'],
    );
    assert.equal((await server.api('GET', path)).status, 405);
    assert.equal((await server.api('POST', `${path}?dryRun=All`, { kind: 'List', items: [] })).status, 400);

    const items = [
      trigger('warned', { colour: 'blue' }),
      { apiVersion: 'eventing.knative.dev/v1', kind: 'Gadget', metadata: { name: 'g' } },
      { apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: {} },
      'not an object',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bulk' } },
      trigger('warned', { colour: 'blue' }),
    ];
    const warn = await server.api('POST', `${path}?fieldValidation=Warn`, {
      apiVersion: 'v1',
      kind: 'List',
      items,
    });
    assert.equal(warn.status, 200);
    const outcomes = warn.body.items as {
      result?: string;
      warnings?: string[];
      error?: { code: number; message: string };
    }[];
    assert.equal(outcomes.length, items.length);
    // Before its Namespace, the trigger is refused as a single create would be; after it, created with a warning.
    assert.deepEqual(
      outcomes.map((o) => o.result ?? o.error?.code),
      [404, 404, 422, 400, 'created', 'created'],
    );
    assert.equal(outcomes[0]?.error?.message, 'namespaces "bulk" not found');
    assert.equal(outcomes[1]?.error?.message, 'kind: unknown kind "Gadget" in eventing.knative.dev/v1');
    assert.deepEqual(outcomes[5]?.warnings, ['unknown field "spec.colour"']);
    const stored = await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/bulk/triggers/warned');
    assert.equal(stored.status, 200);
    assert.equal(stored.body.spec.colour, undefined);
  } finally {
    await server.stop();
  }
});
