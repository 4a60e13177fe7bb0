// Traces through the mesh (docs/observability.md): an in-process OTLP/HTTP receiver gets the spans of one
// event through two hops (ingress -> trigger -> subscriber that replies -> second trigger), every span in the
// sender's trace; subscribers get the W3C headers of their delivery's span. Without an exporter, a sender's
// trace is passed on unchanged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startTracing, type ServerTracing } from '../../src/server/tracing.js';
import { broker, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

interface ExportedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly kind: number;
}

/** An OTLP/HTTP (JSON) traces receiver on loopback. */
async function startReceiver(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      assert.equal(req.url, '/v1/traces');
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[];
      };
      for (const r of body.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SENDER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SENDER_SPAN}-01`;

async function send(server: TestServer, ns: string, headers: Record<string, string>): Promise<void> {
  const res = await request(`${server.ingressUrl}/${ns}/default`, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': 'order-1',
      'ce-source': '/shop',
      'ce-type': 'order.created',
      'content-type': 'application/json',
      ...headers,
    },
    body: '{"n":1}',
  });
  assert.equal(res.statusCode, 202, await res.body.text());
}

/** Two hops: t1 gets order.created and replies order.confirmed, which t2 gets. */
async function twoHops(server: TestServer, ns: string): Promise<{ first: Subscriber; second: Subscriber }> {
  const first = await startSubscriber(() => ({
    status: 200,
    headers: {
      'ce-specversion': '1.0',
      'ce-id': 'reply-1',
      'ce-source': '/replier',
      'ce-type': 'order.confirmed',
      'content-type': 'application/json',
    },
    body: '{"ok":true}',
  }));
  const second = await startSubscriber();
  await server.apply(
    namespace(ns),
    broker('default', ns),
    trigger(
      't1',
      {
        broker: 'default',
        filter: { attributes: { type: 'order.created' } },
        subscriber: { uri: first.url },
      },
      ns,
    ),
    trigger(
      't2',
      {
        broker: 'default',
        filter: { attributes: { type: 'order.confirmed' } },
        subscriber: { uri: second.url },
      },
      ns,
    ),
  );
  return { first, second };
}

function spanIdOf(traceparent: unknown): string {
  assert.equal(typeof traceparent, 'string');
  const [, traceId, spanId] = String(traceparent).split('-');
  assert.equal(traceId, TRACE_ID, 'the same trace');
  return spanId ?? '';
}

describe('with an OTLP exporter', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let tracing: ServerTracing;
  let server: TestServer;

  before(async () => {
    receiver = await startReceiver();
    process.env['OTEL_BSP_SCHEDULE_DELAY'] = '20';
    tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assert.ok(tracing.tracer, 'tracing is on when an endpoint is named');
    server = await startTestServer({ extras: { tracing } });
  });
  after(async () => {
    await server.stop();
    await receiver.close();
  });

  test("one event through two hops is one span tree in the sender's trace", async () => {
    const { first, second } = await twoHops(server, 'traced');
    await send(server, 'traced', { traceparent: TRACEPARENT, tracestate: 'vendor=1' });
    const [toFirst] = await first.waitFor(1);
    const [toSecond] = await second.waitFor(1);

    const byName = async (name: string, count = 1): Promise<ExportedSpan[]> => {
      for (let i = 0; i < 200; i++) {
        const found = receiver.spans.filter((s) => s.name === name);
        if (found.length >= count) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.fail(`no span "${name}" exported; got ${receiver.spans.map((s) => s.name).join(', ')}`);
    };
    const [ingress] = await byName('ingress traced/default');
    const routes = await byName('route traced/default', 2);
    const [deliver1] = await byName('deliver traced/t1');
    const [reply] = await byName('reply traced/t1');
    const [deliver2] = await byName('deliver traced/t2');
    assert.ok(ingress && deliver1 && reply && deliver2);
    for (const span of [ingress, ...routes, deliver1, reply, deliver2])
      assert.equal(span.traceId, TRACE_ID, span.name);

    assert.equal(ingress.parentSpanId, SENDER_SPAN, "ingress continues the sender's span");
    const route1 = routes.find((r) => r.parentSpanId === ingress.spanId);
    assert.ok(route1, 'routing is a child of ingress');
    assert.equal(deliver1.parentSpanId, route1.spanId, 'the first delivery is a child of routing');
    assert.equal(reply.parentSpanId, deliver1.spanId, 'the reply is a child of the delivery that got it');
    const route2 = routes.find((r) => r.parentSpanId === reply.spanId);
    assert.ok(route2, 'the reply is routed as a child of the reply span');
    assert.equal(
      deliver2.parentSpanId,
      route2.spanId,
      "the second delivery is a child of the reply's routing",
    );

    // Subscribers get the W3C headers of their delivery's span: the same trace, a new span id.
    assert.equal(spanIdOf(toFirst?.headers['traceparent']), deliver1.spanId);
    assert.equal(toFirst?.headers['tracestate'], 'vendor=1');
    assert.equal(spanIdOf(toSecond?.headers['traceparent']), deliver2.spanId);
    // The event carries its routing span in the distributed-tracing extension.
    assert.equal(spanIdOf(toFirst?.headers['ce-traceparent']), route1.spanId);
    await first.close();
    await second.close();
  });

  test("an application's event through the gateway is one trace down to its subscriber", async () => {
    const received = await startSubscriber();
    await server.apply(
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'commerce' },
        spec: {},
      },
      namespace('kyma'),
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'ApplicationMapping',
        metadata: { name: 'commerce', namespace: 'kyma' },
      },
      trigger('all', { broker: 'default', subscriber: { uri: received.url } }, 'kyma'),
    );
    const token = await server.api(
      'POST',
      '/apis/applicationconnector.kyma-project.io/v1alpha1/applications/commerce/token',
    );
    for (let i = 0; i < 100 && !server.mesh.broker('kyma', 'default'); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const res = await request(`${server.gatewayUrl}/commerce/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(token.body as { token: string }).token}`,
        'ce-specversion': '1.0',
        'ce-id': 'g-1',
        'ce-source': '/ignored',
        'ce-type': 'order.created',
        traceparent: TRACEPARENT,
      },
      body: '{}',
    });
    assert.equal(res.statusCode, 202, await res.body.text());
    const [delivery] = await received.waitFor(1);
    const deliverSpanId = spanIdOf(delivery?.headers['traceparent']);
    let spans: ExportedSpan[] = [];
    for (let i = 0; i < 200; i++) {
      spans = receiver.spans.filter((s) => s.traceId === TRACE_ID);
      if (spans.some((s) => s.spanId === deliverSpanId)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const gateway = spans.find((s) => s.name === 'gateway commerce');
    assert.ok(gateway, 'a gateway span');
    assert.equal(gateway.parentSpanId, SENDER_SPAN);
    const route = spans.find((s) => s.name === 'route kyma/default' && s.parentSpanId === gateway.spanId);
    assert.ok(route, 'routing in the bound namespace is a child of the gateway span');
    const deliver = spans.find((s) => s.spanId === deliverSpanId);
    assert.equal(deliver?.parentSpanId, route.spanId);
    await received.close();
  });

  test('the CloudEvents traceparent extension starts the trace when there is no header', async () => {
    const { first, second } = await twoHops(server, 'extension');
    await send(server, 'extension', { 'ce-traceparent': TRACEPARENT });
    const [toFirst] = await first.waitFor(1);
    await second.waitFor(1);
    spanIdOf(toFirst?.headers['traceparent']);
    await first.close();
    await second.close();
  });
});

describe('without an exporter', () => {
  let server: TestServer;
  before(async () => {
    const tracing = await startTracing({});
    assert.equal(tracing.tracer, undefined, 'tracing is off when no exporter is named');
    server = await startTestServer({ extras: { tracing } });
  });
  after(() => server.stop());

  test("a sender's trace is passed on unchanged, into replies too", async () => {
    const { first, second } = await twoHops(server, 'untraced');
    await send(server, 'untraced', { traceparent: TRACEPARENT });
    const [toFirst] = await first.waitFor(1);
    const [toSecond] = await second.waitFor(1);
    assert.equal(toFirst?.headers['traceparent'], TRACEPARENT);
    assert.equal(toFirst?.headers['ce-traceparent'], TRACEPARENT);
    assert.equal(toSecond?.headers['traceparent'], TRACEPARENT);
    await first.close();
    await second.close();
  });
});
