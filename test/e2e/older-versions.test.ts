// Knative v1alpha1 and v1beta1 manifests apply unchanged: stored as v1 (the converted filter and
// subscriber), read back in the version asked for, and routing events like any v1 trigger.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/cli.js';
import { settle, startTestServer, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

let server: TestServer;
let subscriber: Subscriber;
let env: Record<string, string>;
const TRIGGERS = '/apis/eventing.knative.dev/VERSION/namespaces/default/triggers';

before(async () => {
  server = await startTestServer();
  subscriber = await startSubscriber();
  env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
});
after(async () => {
  await subscriber.close();
  await server.stop();
});

test('a v1alpha1 Trigger applies unchanged, reads back as v1 with attributes, and delivers', async () => {
  const manifest = readFileSync('test/manifests/older/v1alpha1.yaml', 'utf8').replace(
    'SUBSCRIBER',
    subscriber.url,
  );
  const applied = await runCli(['apply', '-f', '-'], { env, stdin: manifest });
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(
    applied.stdout,
    'broker.eventing.knative.dev/legacy created\ntrigger.eventing.knative.dev/legacy-orders created\n',
  );
  await settle(server);

  const v1 = await server.api('GET', `${TRIGGERS.replace('VERSION', 'v1')}/legacy-orders`);
  assert.equal(v1.status, 200);
  assert.equal(v1.body.apiVersion, 'eventing.knative.dev/v1');
  assert.deepEqual(v1.body.spec.filter, { attributes: { type: 'order.created' } });
  assert.equal(v1.body.status.conditions.find((c: { type: string }) => c.type === 'Ready').status, 'True');

  const alpha = await server.api('GET', `${TRIGGERS.replace('VERSION', 'v1alpha1')}/legacy-orders`);
  assert.equal(alpha.body.apiVersion, 'eventing.knative.dev/v1alpha1');
  const beta = await server.api('GET', TRIGGERS.replace('VERSION', 'v1beta1'));
  assert.deepEqual(
    beta.body.items.map((t: { apiVersion: string; metadata: { name: string } }) => [
      t.apiVersion,
      t.metadata.name,
    ]),
    [['eventing.knative.dev/v1beta1', 'legacy-orders']],
  );

  const again = await runCli(['apply', '-f', '-'], { env, stdin: manifest });
  assert.equal(again.code, 0, again.stderr);

  for (const type of ['order.shipped', 'order.created']) {
    const sent = await runCli(['send', '--broker', 'default/legacy', '--type', type, '--source', '/shop'], {
      env,
    });
    assert.equal(sent.code, 0, sent.stderr);
  }
  const [received] = await subscriber.waitFor(1);
  assert.equal(received?.headers['ce-type'], 'order.created');
});

test('a v1beta1 Broker is stored as v1; a v1alpha1 channelTemplateSpec is refused by name', async () => {
  const beta = await runCli(['apply', '-f', '-'], {
    env,
    stdin: 'apiVersion: eventing.knative.dev/v1beta1\nkind: Broker\nmetadata:\n  name: beta\n',
  });
  assert.equal(beta.code, 0, beta.stderr);
  const stored = await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/default/brokers/beta');
  assert.equal(stored.body.apiVersion, 'eventing.knative.dev/v1');

  const alpha = await runCli(['apply', '-f', '-'], {
    env,
    stdin:
      'apiVersion: eventing.knative.dev/v1alpha1\nkind: Broker\nmetadata:\n  name: channel\nspec:\n' +
      '  channelTemplateSpec:\n    apiVersion: messaging.knative.dev/v1\n    kind: InMemoryChannel\n',
  });
  assert.equal(alpha.code, 1);
  assert.match(
    alpha.stderr,
    /spec\.channelTemplateSpec: is a v1alpha1 field that v1 replaced with spec\.config/,
  );
});
