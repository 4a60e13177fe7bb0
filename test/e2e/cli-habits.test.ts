// kubectl and kn habits of the CLI against a real server (reconciler included, so conditions change):
// --version, create broker|trigger with kn's flags, wait --for, -o wide|name|jsonpath, "did you mean",
// and a port in use named with the flag that moves it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/cli.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

let server: TestServer;
let subscriber: Subscriber;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env });

before(async () => {
  server = await startTestServer();
  subscriber = await startSubscriber();
  env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
});
after(async () => {
  await subscriber.close();
  await server.stop();
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const result = await cli(['--version']);
  assert.equal(result.stdout, `${version}\n`);
});

test('create broker and trigger with kn flags, wait for Ready, then the event reaches the sink', async () => {
  const broker = await cli(['create', 'broker', 'shop', '--class', 'MTChannelBasedBroker']);
  assert.equal(broker.stdout, 'broker.eventing.knative.dev/shop created\n', broker.stderr);
  const trigger = await cli([
    'create',
    'trigger',
    'orders',
    '--broker',
    'shop',
    '--sink',
    subscriber.url,
    '--filter',
    'type=order.created',
    '--filter',
    'source=/shop',
  ]);
  assert.equal(trigger.stdout, 'trigger.eventing.knative.dev/orders created\n', trigger.stderr);
  const again = await cli(['create', 'broker', 'shop']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);

  const waited = await cli(['wait', '--for=condition=Ready', 'broker/shop', '--timeout', '10s']);
  assert.equal(waited.stdout, 'broker.eventing.knative.dev/shop condition met\n', waited.stderr);
  const both = await cli(['wait', 'trigger', 'orders', '--for', 'condition=Ready', '--timeout=10s']);
  assert.equal(both.code, 0, both.stderr);

  const stored = await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/default/triggers/orders');
  assert.deepEqual(stored.body.spec.filter, { attributes: { type: 'order.created', source: '/shop' } });
  assert.deepEqual(stored.body.spec.subscriber, { uri: subscriber.url });

  const sent = await cli([
    'send',
    '--broker',
    'default/shop',
    '--type',
    'order.created',
    '--source',
    '/shop',
  ]);
  assert.equal(sent.code, 0, sent.stderr);
  await subscriber.waitFor(1);
});

test('create trigger --dry-run prints the manifest kn would write, with a Knative Service sink', async () => {
  const result = await cli(['create', 'trigger', 't', '--sink', 'ksvc:display:apps', '--dry-run']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /subscriber:\n\s+ref:\n\s+apiVersion: serving.knative.dev\/v1\n\s+kind: Service\n\s+name: display\n\s+namespace: apps/,
  );
  const bad = await cli(['create', 'trigger', 't', '--sink', 'queue:x']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--sink "queue:x": use a URL/);
});

test("wait times out with kubectl's message when the condition never comes", async () => {
  const result = await cli(['wait', 'broker/shop', '--for=condition=Ready=False', '--timeout', '200ms']);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, 'error: timed out waiting for the condition on brokers/shop\n');
  const missing = await cli(['wait', 'broker/ghost', '--for=condition=Ready', '--timeout', '1s']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /not found/);
});

test('wait --for=delete returns once the object is gone', async () => {
  await cli(['create', 'broker', 'brief']);
  const waiting = cli(['wait', 'broker/brief', '--for=delete', '--timeout', '10s']);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await cli(['delete', 'broker', 'brief']);
  const result = await waiting;
  assert.equal(result.stdout, 'broker.eventing.knative.dev/brief deleted\n', result.stderr);
});

test('get -o name, -o wide and -o jsonpath print as kubectl does', async () => {
  const names = await cli(['get', 'brokers', '-o', 'name']);
  assert.equal(names.stdout, 'broker.eventing.knative.dev/shop\n');
  const wide = await cli(['get', 'triggers', '-o', 'wide']);
  const [header, row] = wide.stdout.trimEnd().split('\n');
  assert.match(header ?? '', /^NAME\s+BROKER\s+SUBSCRIBER_URI\s+AGE\s+READY\s+REASON\s+DEAD_LETTER_URI$/);
  assert.match(row ?? '', /^orders\s+shop\s+http:\/\/127\.0\.0\.1:\d+\/\s+\S+\s+True\s*$/);
  const path = await cli([
    'get',
    'brokers',
    '-o',
    'jsonpath={range .items[*]}{.metadata.name}:{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
  ]);
  assert.equal(path.stdout, 'shop:True\n', path.stderr);
  const one = await cli(['get', 'trigger', 'orders', '-o', 'jsonpath={.spec.broker}']);
  assert.equal(one.stdout, 'shop');
  const unclosed = await cli(['get', 'brokers', '-o', 'jsonpath={.items']);
  assert.equal(unclosed.code, 1);
  assert.match(unclosed.stderr, /unclosed "\{"/);
});

test('a mistyped kind, command or flag gets a suggestion', async () => {
  const kind = await cli(['get', 'brokr']);
  assert.equal(kind.code, 1);
  assert.match(kind.stderr, /unknown kind "brokr" \(did you mean "broker"\?\)/);
  const command = await cli(['gte', 'brokers']);
  assert.match(command.stderr, /Did you mean get\?/);
  const flag = await cli(['get', 'brokers', '--ouptut', 'yaml']);
  assert.match(flag.stderr, /Did you mean --output\?/);
});

test('the knative-eventing namespace exists from the start', async () => {
  const result = await cli(['get', 'ns', '-o', 'name']);
  assert.match(result.stdout, /^namespace\/default\nnamespace\/knative-eventing\n/);
});

test('a port in use is refused naming --port, and nothing of the failed start is left open', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as AddressInfo;
  try {
    await assert.rejects(
      startTestServer({ flags: { port } }),
      new RegExp(`ingress port ${port} on 127\\.0\\.0\\.1 is already in use: choose another with --port`),
    );
  } finally {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  }
});
