// The real kubectl against a live cemesh serving its admin API over TLS, through the kubeconfig
// `cemesh kubeconfig --tls-cert` writes: version, apply -f (validated by the server through OpenAPI v3),
// apply --server-side, get -A with cemesh's columns (server-side Table), get -w, describe, patch (json,
// merge, and the strategic default refused as for a CRD), edit through KUBE_EDITOR, explain, delete.
// Without a kubectl binary (or openssl) the suite says it skipped and why; .ci/run sets
// CEMESH_REQUIRE_KUBECTL=1, which makes that a failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/server.js';
import { runCli } from '../support/cli.js';
import { selfSignedCertificate } from '../support/tls-proxy.js';

const run = promisify(execFile);
const missing = ['kubectl', 'openssl'].filter(
  (tool) => spawnSync(tool, tool === 'kubectl' ? ['version', '--client'] : ['version']).error !== undefined,
);
const required = process.env.CEMESH_REQUIRE_KUBECTL === '1';
const skip =
  missing.length > 0 && !required
    ? `${missing.join(' and ')} not found on PATH (install kubectl to run it)`
    : false;

let server: TestServer;
let dir: string;
let env: NodeJS.ProcessEnv;

async function kubectl(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run('kubectl', args, { env: { ...env, ...extraEnv }, timeout: 20_000 });
  return stdout;
}

const MANIFEST = `apiVersion: eventing.knative.dev/v1
kind: Broker
metadata:
  name: kube
  namespace: default
---
apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: kube-orders
  namespace: default
spec:
  broker: kube
  filter:
    attributes:
      type: order.created
  subscriber:
    uri: http://127.0.0.1:9/
`;

before(async () => {
  if (skip !== false) return;
  assert.deepEqual(missing, [], 'CEMESH_REQUIRE_KUBECTL=1: kubectl and openssl must be installed');
  dir = await mkdtemp(join(tmpdir(), 'cemesh-kubectl-'));
  selfSignedCertificate(dir);
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  server = await startTestServer({ flags: { tlsCert: cert, tlsKey: key } });
  const kubeconfig = join(dir, 'kubeconfig');
  const written = await runCli(['kubeconfig', '--tls-cert', cert, '--output', kubeconfig], {
    env: { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token },
  });
  assert.equal(written.code, 0, written.stderr);
  assert.equal((await stat(kubeconfig)).mode & 0o777, 0o600);
  await writeFile(join(dir, 'manifest.yaml'), MANIFEST);
  env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig };
});

after(async () => {
  if (skip !== false) return;
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

test('kubectl version names the server', { skip }, async () => {
  const out = await kubectl(['version']);
  assert.match(out, /Server Version: v1\.32\.0\+cemesh-/);
});

test('kubectl apply -f, then get -A lists the objects', { skip }, async () => {
  const applied = await kubectl(['apply', '-f', join(dir, 'manifest.yaml')]);
  assert.equal(
    applied,
    'broker.eventing.knative.dev/kube created\ntrigger.eventing.knative.dev/kube-orders created\n',
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const listed = await kubectl(['get', 'brokers,triggers', '-A']);
  assert.match(listed, /NAMESPACE\s+NAME\s+READY\s+REASON\s+URL\s+STORAGE\s+AGE\n/);
  assert.match(
    listed,
    /default\s+broker\.eventing\.knative\.dev\/kube\s+True\s+https:\/\/127\.0\.0\.1:\d+\/default\/kube\s+memory\s/,
  );
  assert.match(listed, /NAMESPACE\s+NAME\s+BROKER\s+SUBSCRIBER_URI\s+AGE\s+READY\s+REASON\n/);
  assert.match(
    listed,
    /default\s+trigger\.eventing\.knative\.dev\/kube-orders\s+kube\s+http:\/\/127\.0\.0\.1:9\/\s/,
  );
  const namespaces = await kubectl(['get', 'ns', '-o', 'name']);
  assert.equal(namespaces, 'namespace/default\nnamespace/knative-eventing\n');
});

test('kubectl describe shows the status conditions', { skip }, async () => {
  const out = await kubectl(['describe', 'broker', 'kube']);
  assert.match(out, /Name:\s+kube\n/);
  assert.match(out, /Type:\s+Ready/);
});

test('kubectl get -w prints an object created while it watches', { skip }, async () => {
  const watcher = spawn('kubectl', ['get', 'brokers', '-w', '--output-watch-events'], { env });
  let seen = '';
  const appeared = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no watch event for "watched": ${seen}`)), 15_000);
    watcher.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/ADDED\s+watched/.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await writeFile(
      join(dir, 'watched.yaml'),
      'apiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: watched\n',
    );
    await kubectl(['create', '-f', join(dir, 'watched.yaml')]);
    await appeared;
  } finally {
    watcher.kill();
  }
});

test('kubectl edit through KUBE_EDITOR changes the trigger', { skip }, async () => {
  const out = await kubectl(['edit', 'trigger', 'kube-orders'], {
    KUBE_EDITOR: 'sed -i s/order.created/order.updated/',
  });
  assert.equal(out, 'trigger.eventing.knative.dev/kube-orders edited\n');
  const filter = await kubectl([
    'get',
    'trigger',
    'kube-orders',
    '-o',
    'jsonpath={.spec.filter.attributes.type}',
  ]);
  assert.equal(filter, 'order.updated');
});

test('kubectl apply refuses an unknown field naming it, as the server validates it', { skip }, async () => {
  const bad = MANIFEST.split('---\n')[1]?.replace('broker: kube', 'brokr: kube') ?? '';
  await writeFile(join(dir, 'bad.yaml'), bad);
  await assert.rejects(
    kubectl(['apply', '-f', join(dir, 'bad.yaml')]),
    /spec\.brokr: unknown field \(did you mean "broker"\?\)/,
  );
});

test(
  'kubectl apply --server-side creates, then applies again; the object keeps other fields',
  { skip },
  async () => {
    const ssa = `apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: applied
spec:
  broker: kube
  subscriber:
    uri: http://127.0.0.1:9/a
`;
    await writeFile(join(dir, 'ssa.yaml'), ssa);
    const first = await kubectl(['apply', '--server-side', '-f', join(dir, 'ssa.yaml')]);
    assert.equal(first, 'trigger.eventing.knative.dev/applied serverside-applied\n');
    await writeFile(join(dir, 'ssa.yaml'), ssa.replace('/a', '/b'));
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(dir, 'ssa.yaml')]);
    const uri = await kubectl(['get', 'trigger', 'applied', '-o', 'jsonpath={.spec.subscriber.uri}']);
    assert.equal(uri, 'http://127.0.0.1:9/b');
  },
);

test(
  'kubectl patch --type=json and --type=merge; the strategic default is refused as for a CRD',
  { skip },
  async () => {
    assert.equal(
      await kubectl([
        'patch',
        'broker',
        'kube',
        '--type=json',
        '-p',
        '[{"op":"add","path":"/metadata/labels","value":{"team":"a"}}]',
      ]),
      'broker.eventing.knative.dev/kube patched\n',
    );
    await kubectl(['patch', 'broker', 'kube', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"b"}}}']);
    const labels = await kubectl(['get', 'broker', 'kube', '-o', 'jsonpath={.metadata.labels}']);
    assert.deepEqual(JSON.parse(labels), { team: 'a', tier: 'b' });
    await assert.rejects(
      kubectl(['patch', 'broker', 'kube', '-p', '{"metadata":{"labels":{"x":"y"}}}']),
      /strategic-merge-patch\+json is not supported[^]*--type=merge/,
    );
    await assert.rejects(
      kubectl([
        'patch',
        'broker',
        'kube',
        '--type=json',
        '-p',
        '[{"op":"test","path":"/metadata/labels/team","value":"z"}]',
      ]),
      /test failed/,
    );
  },
);

test('kubectl explain prints the field docs of broker.spec and trigger.spec.filter', { skip }, async () => {
  const broker = await kubectl(['explain', 'broker.spec']);
  assert.match(broker, /KIND:\s+Broker/);
  assert.match(broker, /FIELD: spec <Object>/);
  assert.match(broker, /delivery\s+<DeliverySpec>/);
  const filter = await kubectl(['explain', 'trigger.spec.filter']);
  assert.match(filter, /attributes\s+<map\[string\]string>/);
});

test('kubectl delete removes the trigger; a missing one is a NotFound Status', { skip }, async () => {
  assert.equal(
    await kubectl(['delete', 'trigger', 'kube-orders']),
    'trigger.eventing.knative.dev "kube-orders" deleted\n',
  );
  await assert.rejects(kubectl(['get', 'trigger', 'kube-orders']), /NotFound|not found/);
});
