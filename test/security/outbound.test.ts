/**
 * The outbound guard: triggers cannot point at metadata services or cemesh's own admin and gateway
 * listeners (422 at admission), and a name is checked by the address it resolves to when the sender
 * connects, so DNS rebinding does not pass.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileOutboundGuard } from '../../src/dataplane/outbound/guard.js';
import { createHttpSender, parseTarget } from '../../src/dataplane/delivery/sender.js';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { parseServerConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.apply(broker('default'));
});
after(() => server.stop());

const TRIGGERS = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';

function refusedDestinations(): [
  name: string,
  spec: Record<string, unknown>,
  field: string,
  message: RegExp,
][] {
  return [
    [
      'metadata',
      { subscriber: { uri: 'http://169.254.169.254/latest/meta-data/' } },
      'spec.subscriber.uri',
      /link-local/,
    ],
    [
      'metadata name',
      { subscriber: { uri: 'http://metadata.google.internal/' } },
      'spec.subscriber.uri',
      /metadata/,
    ],
    [
      'mapped metadata',
      { subscriber: { uri: 'http://[::ffff:169.254.169.254]/' } },
      'spec.subscriber.uri',
      /link-local/,
    ],
    [
      'own admin',
      { subscriber: { uri: `${server.adminUrl}/api/v1/namespaces` } },
      'spec.subscriber.uri',
      /own listeners/,
    ],
    [
      'own gateway via localhost',
      { subscriber: { uri: `http://localhost:${new URL(server.gatewayUrl).port}/app/events` } },
      'spec.subscriber.uri',
      /own listeners/,
    ],
    [
      'metadata dead-letter sink',
      {
        subscriber: { uri: 'http://127.0.0.1:9/' },
        delivery: { deadLetterSink: { uri: 'http://169.254.169.254/' } },
      },
      'spec.delivery.deadLetterSink.uri',
      /link-local/,
    ],
  ];
}

test('destinations at metadata addresses or cemesh own listeners are refused with 422', async () => {
  for (const [name, spec, field, message] of refusedDestinations()) {
    const result = await server.api(
      'POST',
      TRIGGERS,
      trigger(`t-${name.replace(/ /g, '-')}`, { broker: 'default', ...spec }),
    );
    assert.equal(result.status, 422, name);
    const causes = (result.body as { details: { causes: { field: string; message: string }[] } }).details
      .causes;
    assert.equal(causes[0]?.field, field, name);
    assert.match(causes[0]?.message ?? '', message, name);
  }
});

test('a loopback subscriber and cemesh own ingress are allowed while cemesh listens on loopback', async () => {
  for (const uri of ['http://127.0.0.1:9999/', `${server.ingressUrl}/default/other`]) {
    const result = await server.api(
      'POST',
      TRIGGERS,
      trigger(`ok-${new URL(uri).port}`, { broker: 'default', subscriber: { uri } }),
    );
    assert.equal(result.status, 201, uri);
  }
});

test('the sender checks the address a name resolves to when it connects (DNS rebinding)', async () => {
  let requests = 0;
  const subscriber = createServer((req, res) => {
    requests++;
    req.resume();
    res.end();
  });
  await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
  const port = (subscriber.address() as AddressInfo).port;
  // As when cemesh listens beyond loopback: loopback targets are refused.
  const sender = createHttpSender({
    guard: compileOutboundGuard({ allowPrivate: false, allow: [], ownListeners: [] }),
  });
  const event = { attributes: { specversion: '1.0', id: '1', source: '/s', type: 't' } };
  const options = { timeoutMs: 5000, format: 'binary' as const, headers: {} };
  try {
    for (const uri of [`http://localhost:${port}/`, `http://127.0.0.1:${port}/`]) {
      const outcome = await sender.send(parseTarget(uri), event, options);
      assert.equal(outcome.result.kind, 'network-error', uri);
      assert.match(
        outcome.result.kind === 'network-error' ? outcome.result.message : '',
        /MESH_OUTBOUND_REFUSED: outbound guard: .*loopback/,
      );
    }
    assert.equal(requests, 0);
  } finally {
    await sender.close();
    subscriber.close();
  }
});

test('--subscriber-allow lets the listed private range through', async () => {
  const subscriber = createServer((req, res) => {
    req.resume();
    res.writeHead(202).end();
  });
  await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
  const port = (subscriber.address() as AddressInfo).port;
  const sender = createHttpSender({
    guard: compileOutboundGuard({ allowPrivate: false, allow: ['127.0.0.0/8', '::1'], ownListeners: [] }),
  });
  try {
    const outcome = await sender.send(
      parseTarget(`http://localhost:${port}/`),
      { attributes: { specversion: '1.0', id: '1', source: '/s', type: 't' } },
      { timeoutMs: 5000, format: 'binary', headers: {} },
    );
    assert.deepEqual(outcome.result, { kind: 'response', status: 202 });
  } finally {
    await sender.close();
    subscriber.close();
  }
});

test('resources in the config file pass the same outbound admission as the API: a metadata subscriber stops the start', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-config-'));
  const file = [
    'resources:',
    '  - {apiVersion: eventing.knative.dev/v1, kind: Broker, metadata: {name: default}}',
    '  - apiVersion: eventing.knative.dev/v1',
    '    kind: Trigger',
    '    metadata: {name: steal}',
    '    spec: {subscriber: {uri: "http://169.254.169.254/latest/meta-data/"}}',
  ].join('\n');
  const config = parseServerConfig(
    { port: 0, adminPort: 0, gatewayPort: 0, dataDir, backend: 'memory' },
    {},
    file,
  );
  try {
    await assert.rejects(startServer(config, silentLogger), /spec\.subscriber\.uri: destination refused/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
