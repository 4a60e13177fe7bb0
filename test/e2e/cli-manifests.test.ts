// Real Knative and Kyma manifests (test/manifests) apply through the CLI exactly as written, and the
// invalid ones (test/manifests/invalid) are each rejected with a message naming the field at fault.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli, startApi, type ApiServer } from '../support/cli.js';

const MANIFESTS = 'test/manifests';

let api: ApiServer;
let env: Record<string, string>;

before(async () => {
  api = await startApi();
  env = { CEMESH_SERVER: api.url, CEMESH_TOKEN: api.token };
});
after(() => api.close());

/** True when every field of `expected` is in `actual` with the same value (arrays compared whole). */
function includes(actual: unknown, expected: unknown): boolean {
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
    return JSON.stringify(actual) === JSON.stringify(expected);
  }
  if (typeof actual !== 'object' || actual === null) return false;
  return Object.entries(expected).every(([k, v]) => includes((actual as Record<string, unknown>)[k], v));
}

async function manifestFiles(): Promise<string[]> {
  return (await readdir(MANIFESTS)).filter((f) => f.endsWith('.yaml')).sort();
}

test('the Knative and Kyma manifests apply as written: created (knative-eventing already there), then unchanged on re-apply', async () => {
  const files = await manifestFiles();
  assert.ok(files.length >= 8);
  const first = await runCli(['apply', '-f', MANIFESTS], { env });
  assert.equal(first.stderr, '');
  assert.equal(first.code, 0);
  const created = first.stdout.trimEnd().split('\n');
  // knative-eventing exists from the start, as in a Knative installation: applying it again changes nothing.
  assert.ok(
    created.every((l) => l.endsWith(l.startsWith('namespace/knative-eventing ') ? ' unchanged' : ' created')),
    first.stdout,
  );
  assert.deepEqual(created.map((l) => l.split(' ')[0]).sort(), [
    'application.applicationconnector.kyma-project.io/commerce-mock',
    'applicationmapping.applicationconnector.kyma-project.io/commerce-mock',
    'broker.eventing.knative.dev/default',
    'configmap/config-br-default-channel',
    'configmap/config-br-defaults',
    'configmap/imc-channel',
    'function.serverless.kyma-project.io/dead-letters',
    'function.serverless.kyma-project.io/my-service',
    'namespace/knative-eventing',
    'namespace/production',
    'trigger.eventing.knative.dev/my-service-trigger',
    'trigger.eventing.knative.dev/my-service-trigger-filters',
  ]);
  const second = await runCli(['apply', '-f', MANIFESTS], { env });
  assert.equal(second.code, 0, second.stderr);
  assert.ok(
    second.stdout
      .trimEnd()
      .split('\n')
      .every((l) => l.endsWith(' unchanged')),
    second.stdout,
  );
});

test('what is stored holds every field the manifests wrote, unchanged', async () => {
  for (const file of await manifestFiles()) {
    const documents = parseAllDocuments(await readFile(join(MANIFESTS, file), 'utf8'));
    for (const document of documents) {
      const manifest = document.toJS() as { kind: string; metadata: { name: string; namespace?: string } };
      const args = ['get', manifest.kind, manifest.metadata.name, '-o', 'json'];
      if (manifest.metadata.namespace) args.push('-n', manifest.metadata.namespace);
      const got = await runCli(args, { env });
      assert.equal(got.code, 0, `${file}: ${got.stderr}`);
      const stored = JSON.parse(got.stdout) as unknown;
      assert.ok(
        includes(stored, manifest),
        `${file} ${manifest.kind}/${manifest.metadata.name} is stored as written`,
      );
    }
  }
});

const invalid: [file: string, field: RegExp][] = [
  ['unknown-kind.yaml', /kind: unknown kind "Brokerage" in eventing\.knative\.dev\/v1/],
  [
    'wrong-apiversion.yaml',
    /apiVersion: Broker is served as eventing\.knative\.dev\/v1, eventing\.knative\.dev\/v1beta1, eventing\.knative\.dev\/v1alpha1, not eventing\.knative\.dev\/v2/,
  ],
  ['trigger-broker-not-a-name.yaml', /\n {2}spec\.broker: must be a string/],
  ['trigger-bad-filter.yaml', /\n {2}spec\.filters\[0\]\.regex: unknown field/],
  ['trigger-bad-duration.yaml', /\n {2}spec\.delivery\.backoffDelay: .*ISO-8601/],
  ['trigger-two-dialects.yaml', /\n {2}spec\.filters\[0\]: .*exactly one dialect/],
];

for (const [file, field] of invalid) {
  test(`invalid manifest ${file} is rejected naming the field`, async () => {
    const result = await runCli(['apply', '-f', join(MANIFESTS, 'invalid', file)], { env });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, field);
  });
}

test('a Trigger without spec.broker is accepted and defaulted to the broker named default, as Knative does', async () => {
  const result = await runCli(['apply', '-f', '-'], {
    env,
    stdin:
      'apiVersion: eventing.knative.dev/v1\nkind: Trigger\nmetadata:\n  name: defaulted\nspec:\n  subscriber:\n    uri: http://sub.example/\n',
  });
  assert.equal(result.code, 0, result.stderr);
  const stored = JSON.parse(
    (await runCli(['get', 'trigger', 'defaulted', '-o', 'json'], { env })).stdout,
  ) as {
    spec: { broker: string };
  };
  assert.equal(stored.spec.broker, 'default');
});
