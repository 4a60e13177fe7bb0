// Real Knative and Kyma manifests (test/manifests, written as their docs write them) apply unchanged
// through the CLI against a running server, and every object reaches Ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.js';
import { settle, startTestServer } from '../support/server.js';

test('the manifests folder applies unchanged with `cemesh apply -f` and everything reaches Ready', async () => {
  const server = await startTestServer();
  try {
    const env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
    const applied = await runCli(['apply', '-f', 'test/manifests'], { env });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /broker\.eventing\.knative\.dev\/default created/);
    await settle(server);
    // The Functions start their processes in the background: every object is Ready within a bound.
    let notReady = await notReadyObjects(env);
    for (const deadline = Date.now() + 60_000; notReady.length > 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      notReady = await notReadyObjects(env);
    }
    assert.deepEqual(notReady, []);
    const broker = (
      await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/default/brokers/default')
    ).body;
    assert.equal(broker.status.persistence.kind, 'memory', 'config-br-default-channel names InMemoryChannel');
    const again = await runCli(['apply', '-f', 'test/manifests'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /created|configured/);
  } finally {
    await server.stop();
  }
});

/** Every object of the applied kinds whose Ready is not True, with its Ready condition. */
async function notReadyObjects(env: Record<string, string>): Promise<string[]> {
  const notReady: string[] = [];
  for (const kind of [
    'namespaces',
    'configmaps',
    'brokers',
    'triggers',
    'applications',
    'applicationmappings',
    'functions',
  ]) {
    const listed = await runCli(['get', kind, '-A', '-o', 'json'], { env });
    assert.equal(listed.code, 0, listed.stderr);
    const list = JSON.parse(listed.stdout) as { items: any[] };
    for (const object of list.items) {
      const ready = object.status?.conditions?.find((c: any) => c.type === 'Ready');
      if (ready?.status !== 'True')
        notReady.push(`${object.kind} ${object.metadata.name}: ${JSON.stringify(ready)}`);
    }
  }
  return notReady;
}
