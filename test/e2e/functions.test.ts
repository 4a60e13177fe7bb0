// Hosted functions end to end (docs/functions.md): the seed's flow from a legacy Kyma application event through
// two functions, and the failure paths a Kyma user meets (a throw, an endless loop, a crash), npm dependencies,
// and the sandbox that keeps a function out of cemesh's data folder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { fn, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';
import { runCli } from '../support/cli.js';

const KYMA = '/apis/applicationconnector.kyma-project.io/v1alpha1';
const FUNCTIONS = '/apis/serverless.kyma-project.io/v1alpha2/namespaces/shop/functions';
const functionRef = (name: string): Record<string, unknown> => ({
  ref: { apiVersion: 'serverless.kyma-project.io/v1alpha2', kind: 'Function', name },
});

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function condition(object: Resource, type: string): { status?: string; reason?: string; message?: string } {
  return object.status?.conditions?.find((c) => c.type === type) ?? {};
}

describe('hosted functions', () => {
  let server: TestServer;
  let sink: Subscriber;
  let deadLetters: Subscriber;

  const getFunction = async (name: string): Promise<Resource> =>
    (await server.api('GET', `${FUNCTIONS}/${name}`)).body as Resource;
  const running = (name: string): Promise<Resource> =>
    waitFor(`${name} to run`, async () => {
      const object = await getFunction(name);
      return condition(object, 'Running').status === 'True' ? object : undefined;
    });
  const send = async (type: string, data: unknown, id = `${type}-${Date.now()}`): Promise<void> => {
    const res = await request(`${server.ingressUrl}/shop/default`, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': id,
        'ce-type': type,
        'ce-source': '/test',
        'content-type': 'application/json',
      },
      body: JSON.stringify(data),
    });
    await res.body.dump();
    assert.equal(res.statusCode, 202);
  };
  const received = (subscriber: Subscriber, type: string): unknown[] =>
    subscriber.received
      .filter((r) => r.headers['ce-type'] === type)
      .map((r) => JSON.parse(r.body.toString('utf8')) as unknown);

  before(async () => {
    server = await startTestServer();
    sink = await startSubscriber();
    deadLetters = await startSubscriber();
    await server.apply(namespace('shop'), {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Broker',
      metadata: { name: 'default', namespace: 'shop' },
    });
  });

  after(async () => {
    await server.stop();
    await sink.close();
    await deadLetters.close();
  });

  test('the seed flow: a legacy application event, a function that emits, a second function whose reply is read', async () => {
    await server.apply(
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'commerce' },
      },
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'ApplicationMapping',
        metadata: { name: 'commerce', namespace: 'shop' },
      },
      // CommonJS, emitting a second event into the namespace's default broker.
      fn(
        'enrich',
        `module.exports = {
          main: async function (event, context) {
            console.log('enriching', event['ce-type'], event['ce-eventtypeversion']);
            await event.emitCloudEvent('order.enriched', '/enrich', {
              order: event.data.orderCode,
              by: context['function-name'],
              namespace: context.namespace,
              runtime: context.runtime,
            });
            return 'ok';
          },
        };`,
        {},
        'shop',
      ),
      // An ES module (no "type": "module" needed) returning a CloudEvent: the broker takes it as a reply.
      fn(
        'record',
        `export async function main(event) {
          return { specversion: '1.0', id: 'recorded-' + event['ce-id'], type: 'order.recorded', source: '/record',
            datacontenttype: 'application/json', data: { ...event.data, seen: event['ce-type'] } };
        }`,
        {},
        'shop',
      ),
      trigger(
        'to-enrich',
        { filter: { attributes: { type: 'order.created' } }, subscriber: functionRef('enrich') },
        'shop',
      ),
      trigger(
        'to-record',
        { filter: { attributes: { type: 'order.enriched' } }, subscriber: functionRef('record') },
        'shop',
      ),
      trigger(
        'recorded',
        { filter: { attributes: { type: 'order.recorded' } }, subscriber: { uri: sink.url } },
        'shop',
      ),
    );
    const enrich = await running('enrich');
    assert.equal(enrich.status?.['runtime'], 'nodejs20');
    assert.equal(condition(enrich, 'ConfigurationReady').status, 'True');
    assert.equal(condition(enrich, 'BuildReady').status, 'True');
    await running('record');
    const t = (await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/shop/triggers/to-enrich'))
      .body as Resource;
    assert.equal(condition(t, 'Ready').status, 'True');
    assert.equal(t.status?.['subscriberUri'], 'http://enrich.shop.svc.cluster.local');

    const issued = await server.api('POST', `${KYMA}/applications/commerce/token`);
    const token = (issued.body as { token: string }).token;
    const res = await request(`${server.gatewayUrl}/commerce/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        'event-type': 'order.created',
        'event-type-version': 'v1',
        'event-time': '2026-01-01T00:00:00Z',
        data: { orderCode: '42' },
      }),
    });
    assert.equal(res.statusCode, 200, await res.body.text());

    await sink.waitFor(1, 20_000);
    assert.deepEqual(received(sink, 'order.recorded'), [
      { order: '42', by: 'enrich', namespace: 'shop', runtime: 'nodejs20', seen: 'order.enriched' },
    ]);
    const logs = await server.api('GET', `${FUNCTIONS}/enrich/log`);
    assert.equal(logs.status, 200);
    const line = (logs.body as { items: { text: string; eventId?: string }[] }).items.find((l) =>
      l.text.startsWith('enriching'),
    );
    assert.equal(line?.text, 'enriching order.created v1');
    assert.ok(line?.eventId, 'the log line names the event');

    // The CLI: Kyma's columns in `get functions`, the log lines with their event id in `logs function`.
    const env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
    const got = await runCli(['get', 'functions', '-n', 'shop'], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^NAME\s+CONFIGURED\s+BUILT\s+RUNNING\s+RUNTIME\s+VERSION\s+AGE/);
    assert.match(got.stdout, /\nenrich\s+True\s+True\s+True\s+nodejs20\s+1\s/);
    const logs2 = await runCli(['logs', 'function', 'enrich', '-n', 'shop'], { env });
    assert.equal(logs2.code, 0, logs2.stderr);
    assert.match(
      logs2.stdout,
      new RegExp(`enrich-\\w+-0 \\[event ${line!.eventId}\\] enriching order.created v1`),
    );
  });

  test('a function that throws answers 500: retried by the delivery policy, then dead-lettered', async () => {
    await server.apply(
      fn('thrower', `module.exports = { main() { throw new Error('no stock'); } };`, {}, 'shop'),
      trigger(
        'to-thrower',
        {
          filter: { attributes: { type: 'stock.check' } },
          subscriber: functionRef('thrower'),
          delivery: {
            retry: 2,
            backoffPolicy: 'linear',
            backoffDelay: 'PT0.05S',
            deadLetterSink: { uri: deadLetters.url },
          },
        },
        'shop',
      ),
    );
    await running('thrower');
    await send('stock.check', { sku: 'a' }, 'stock-1');
    const [dead] = await deadLetters.waitFor(1, 20_000);
    assert.equal(dead!.headers['ce-id'], 'stock-1');
    assert.equal(dead!.headers['ce-knativeerrorcode'], '500');
    const metrics = await request(`${server.adminUrl}/metrics`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const text = await metrics.body.text();
    assert.match(text, /cemesh_function_failures_total\{namespace="shop",function="thrower"\} 3/);
  });

  test('an endless loop is stopped at FUNC_TIMEOUT and the replica comes back', async () => {
    const before = deadLetters.received.length;
    await server.apply(
      fn(
        'spin',
        `module.exports = { main(event) { if (event.data.spin) for (;;) {} return 'ok'; } };`,
        { env: [{ name: 'FUNC_TIMEOUT', value: '1' }] },
        'shop',
      ),
      trigger(
        'to-spin',
        {
          filter: { attributes: { type: 'spin' } },
          subscriber: functionRef('spin'),
          delivery: { retry: 0, timeout: 'PT20S', deadLetterSink: { uri: deadLetters.url } },
        },
        'shop',
      ),
    );
    await running('spin');
    await send('spin', { spin: true }, 'spin-1');
    await deadLetters.waitFor(before + 1, 20_000);
    assert.equal(deadLetters.received.at(-1)!.headers['ce-id'], 'spin-1');
    const logs = (await server.api('GET', `${FUNCTIONS}/spin/log`)).body as { items: { text: string }[] };
    assert.ok(
      logs.items.some((l) => l.text.includes('blocked longer than FUNC_TIMEOUT (1 s)')),
      JSON.stringify(logs),
    );
    const back = await running('spin');
    assert.match(condition(back, 'Running').message ?? '', /restarted 1 time/);
  });

  test('a crash is restarted; the next event is served by the new replica', async () => {
    await server.apply(
      fn(
        'crashy',
        `module.exports = { main(event) {
          if (event.data.crash) setTimeout(() => process.exit(7), 20);
          return { specversion: '1.0', id: 'c-' + event['ce-id'], type: 'crashy.done', source: '/crashy', data: event.data };
        } };`,
        {},
        'shop',
      ),
      trigger(
        'to-crashy',
        { filter: { attributes: { type: 'crashy' } }, subscriber: functionRef('crashy') },
        'shop',
      ),
      trigger(
        'crashy-done',
        { filter: { attributes: { type: 'crashy.done' } }, subscriber: { uri: sink.url } },
        'shop',
      ),
    );
    await running('crashy');
    await send('crashy', { crash: true, n: 1 });
    await waitFor('the crash', async () => {
      const logs = (await server.api('GET', `${FUNCTIONS}/crashy/log`)).body as { items: { text: string }[] };
      return logs.items.some((l) => l.text.includes('exited with code 7')) ? true : undefined;
    });
    await send('crashy', { crash: false, n: 2 });
    await waitFor('both replies', async () =>
      received(sink, 'crashy.done').length === 2 ? true : undefined,
    );
    const status = await running('crashy');
    assert.match(
      condition(status, 'Running').message ?? '',
      /restarted 1 time\(s\), last: exited with code 7/,
    );
  });

  test('an npm dependency is installed into the cache and used', async () => {
    const dependencies = JSON.stringify({ name: 'uses-is-number', dependencies: { 'is-number': '7.0.0' } });
    const source = `const isNumber = require('is-number');
      module.exports = { main(event) {
        return { specversion: '1.0', id: 'n-' + event['ce-id'], type: 'numbers.checked', source: '/numbers',
          data: { value: event.data.value, isNumber: isNumber(event.data.value) } };
      } };`;
    await server.apply(
      fn('numbers', source, { source: { inline: { source, dependencies } } }, 'shop'),
      trigger(
        'to-numbers',
        { filter: { attributes: { type: 'numbers' } }, subscriber: functionRef('numbers') },
        'shop',
      ),
      trigger(
        'numbers-checked',
        { filter: { attributes: { type: 'numbers.checked' } }, subscriber: { uri: sink.url } },
        'shop',
      ),
    );
    await running('numbers');
    await send('numbers', { value: '12' });
    await waitFor(
      'the reply',
      async () => (received(sink, 'numbers.checked').length === 1 ? true : undefined),
      60_000,
    );
    assert.deepEqual(received(sink, 'numbers.checked'), [{ value: '12', isNumber: true }]);
  });

  test("a failed npm install shows npm's error in BuildReady", async () => {
    const dependencies = JSON.stringify({ dependencies: { 'cemesh-no-such-package-x7q': '1.0.0' } });
    const source = 'module.exports = { main() {} };';
    await server.apply(fn('broken', source, { source: { inline: { source, dependencies } } }, 'shop'));
    const broken = await waitFor(
      'BuildReady False',
      async () => {
        const object = await getFunction('broken');
        return condition(object, 'BuildReady').status === 'False' ? object : undefined;
      },
      60_000,
    );
    assert.equal(condition(broken, 'BuildReady').reason, 'DependencyInstallFailed');
    assert.match(condition(broken, 'BuildReady').message ?? '', /E404|404/);
    assert.equal(condition(broken, 'Ready').status, 'False');
  });

  test("a function cannot read cemesh's data folder, start processes, or see cemesh's environment; it reads back its temp files", async () => {
    await server.apply(
      fn(
        'nosy',
        `const fs = require('fs');
        const attempt = (f) => { try { f(); return 'allowed'; } catch (e) { return e.code || String(e); } };
        module.exports = { main() {
          return { specversion: '1.0', id: 'nosy-1', type: 'nosy.report', source: '/nosy', data: {
            token: attempt(() => fs.readFileSync(process.env.DATA_DIR + '/admin.token')),
            list: attempt(() => fs.readdirSync(process.env.DATA_DIR)),
            write: attempt(() => fs.writeFileSync(process.env.DATA_DIR + '/x', 'y')),
            tmp: attempt(() => {
              const file = require('os').tmpdir() + '/scratch';
              fs.writeFileSync(file, 'y');
              if (fs.readFileSync(file, 'utf8') !== 'y') throw new Error('read back something else');
            }),
            exec: attempt(() => require('child_process').execSync('id')),
            env: Object.keys(process.env).sort(),
          } };
        } };`,
        { env: [{ name: 'DATA_DIR', value: server.dataDir }] },
        'shop',
      ),
      trigger(
        'to-nosy',
        { filter: { attributes: { type: 'nosy' } }, subscriber: functionRef('nosy') },
        'shop',
      ),
      trigger(
        'nosy-report',
        { filter: { attributes: { type: 'nosy.report' } }, subscriber: { uri: sink.url } },
        'shop',
      ),
    );
    await running('nosy');
    await send('nosy', {});
    const [report] = await waitFor('the report', async () => {
      const reports = received(sink, 'nosy.report');
      return reports.length > 0 ? reports : undefined;
    });
    assert.deepEqual(report, {
      token: 'ERR_ACCESS_DENIED',
      list: 'ERR_ACCESS_DENIED',
      write: 'ERR_ACCESS_DENIED',
      tmp: 'allowed',
      exec: 'ERR_ACCESS_DENIED',
      env: [
        'DATA_DIR',
        'FUNC_NAME',
        'FUNC_RUNTIME',
        'PUBLISHER_PROXY_ADDRESS',
        'SERVICE_NAMESPACE',
        'TMPDIR',
      ],
    });
  });

  test('a trigger whose Function ref names no Function is not Ready, with the reason', async () => {
    await server.apply(trigger('to-nothing', { subscriber: functionRef('nothing') }, 'shop'));
    const t = (await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/shop/triggers/to-nothing'))
      .body as Resource;
    assert.equal(condition(t, 'Ready').status, 'False');
    assert.equal(condition(t, 'SubscriberResolved').reason, 'FunctionNotFound');
  });

  test('a Service ref or a Kyma-style URL that reaches nothing is not Ready, and becomes Ready once the Function exists', async () => {
    const triggers = '/apis/eventing.knative.dev/v1/namespaces/shop/triggers';
    await server.apply(
      trigger(
        'to-service',
        { subscriber: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'later' } } },
        'shop',
      ),
      trigger('to-url', { subscriber: { uri: 'http://later.shop.svc.cluster.local/in' } }, 'shop'),
    );
    for (const name of ['to-service', 'to-url']) {
      const t = (await server.api('GET', `${triggers}/${name}`)).body as Resource;
      assert.equal(condition(t, 'Ready').status, 'False', name);
      assert.equal(condition(t, 'SubscriberResolved').reason, 'ServiceNotFound', name);
      assert.match(
        condition(t, 'SubscriberResolved').message ?? '',
        /Service shop\/later not found: no Function of that name and later\.shop\.svc\.cluster\.local does not resolve/,
      );
    }
    // Kyma gives a Function a Service of its name: creating it resolves both triggers.
    await server.apply(fn('later', 'module.exports = { main() {} };', {}, 'shop'));
    for (const name of ['to-service', 'to-url']) {
      const t = await waitFor(`${name} Ready`, async () => {
        const object = (await server.api('GET', `${triggers}/${name}`)).body as Resource;
        return condition(object, 'Ready').status === 'True' ? object : undefined;
      });
      assert.equal(condition(t, 'SubscriberResolved').status, 'True');
    }
  });
});
