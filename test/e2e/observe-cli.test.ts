// "Where is my event" from the CLI against a running server (docs/observability.md): `cemesh tail` with a
// CESQL filter shows each event and each delivery outcome with the trace id; `cemesh describe event ID`
// shows every attempt; `cemesh log-level` reads and changes the level at runtime through the admin API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { runCli } from '../support/cli.js';
import { broker, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
let server: TestServer;
let flaky: Subscriber;
let level = 'info';
let env: Record<string, string>;

async function send(type: string, id: string): Promise<void> {
  const res = await request(`${server.ingressUrl}/obs/default`, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': '/shop',
      'ce-type': type,
      'content-type': 'application/json',
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
    },
    body: '{}',
  });
  assert.equal(res.statusCode, 202, await res.body.text());
}

before(async () => {
  server = await startTestServer({
    extras: { logLevel: { get: () => level, set: (l) => (level = l) } },
  });
  env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
  // Fails the first attempt of each event, then accepts.
  const seen = new Set<string>();
  flaky = await startSubscriber((_n, received) => {
    const id = String(received.headers['ce-id']);
    if (seen.has(id)) return { status: 200 };
    seen.add(id);
    return { status: 503 };
  });
  await server.apply(
    namespace('obs'),
    broker('default', 'obs'),
    trigger(
      'orders',
      { broker: 'default', subscriber: { uri: flaky.url }, delivery: { retry: 2, backoffDelay: 'PT0.01S' } },
      'obs',
    ),
  );
});

after(async () => {
  await server.stop();
  await flaky.close();
});

test('tail --filter shows the matching events and their outcomes with the trace id', async () => {
  const controller = new AbortController();
  const lines: string[] = [];
  const done = runCli(['tail', 'obs/default', '--filter', "type LIKE 'order.%'"], {
    env,
    signal: controller.signal,
    onStdout: (_chunk, all) => {
      lines.splice(0, lines.length, ...all.trimEnd().split('\n'));
      if (lines.some((l) => l.includes('DELIVERED'))) controller.abort();
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await send('audit.log', 'skipped-1');
  await send('order.created', 'o-1');
  const result = await done;
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!result.stdout.includes('skipped-1'), 'the filter keeps other events out, and their outcomes');
  assert.match(
    result.stdout,
    new RegExp(`ACCEPTED +type=order.created id=o-1 source=/shop trace=${TRACE_ID}`),
  );
  assert.match(
    result.stdout,
    new RegExp(`RETRYING +trigger=orders id=o-1 attempt=1 HTTP 503 trace=${TRACE_ID}`),
  );
  assert.match(
    result.stdout,
    new RegExp(`DELIVERED +trigger=orders id=o-1 attempt=2 HTTP 200 trace=${TRACE_ID}`),
  );

  const bad = await runCli(['tail', 'obs/default', '--filter', 'type ='], { env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /filter/);
});

test('describe event ID shows every attempt of every trigger, and the trace', async () => {
  await send('order.paid', 'o-2');
  for (let i = 0; i < 100; i++) {
    const history = await server.api(
      'GET',
      '/apis/eventing.knative.dev/v1/namespaces/obs/brokers/default/deliveries?id=o-2',
    );
    if (history.body.items[0]?.triggers?.orders?.outcome === 'delivered') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const result = await runCli(['describe', 'event', 'o-2', '-n', 'obs'], { env });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Event o-2\n/);
  assert.match(result.stdout, /Broker: +obs\/default/);
  assert.match(result.stdout, new RegExp(`Trace: +${TRACE_ID}`));
  assert.match(
    result.stdout,
    /Trigger orders: delivered\n +#1 .* subscriber .* -> HTTP 503 in \d+ms\n +#2 .* -> HTTP 200/,
  );

  const missing = await runCli(['describe', 'event', 'nope', '-n', 'obs'], { env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no delivery history for event id "nope" in any broker of namespace obs/);
});

test('log-level reads and changes the level at runtime; a wrong level is refused', async () => {
  const read = await runCli(['log-level'], { env });
  assert.equal(read.code, 0, read.stderr);
  assert.equal(read.stdout, 'info\n');
  const changed = await runCli(['log-level', 'debug'], { env });
  assert.equal(changed.code, 0, changed.stderr);
  assert.equal(changed.stdout, 'log level debug (was info)\n');
  assert.equal(level, 'debug');
  const wrong = await runCli(['log-level', 'loud'], { env });
  assert.equal(wrong.code, 1);
  assert.match(
    wrong.stderr,
    /level: must be one of trace, debug, info, warn, error, fatal, silent, not "loud"/,
  );
  assert.equal(level, 'debug');
  const unauthenticated = await request(`${server.adminUrl}/admin/log-level`);
  assert.equal(unauthenticated.statusCode, 401);
  await unauthenticated.body.dump();
});
