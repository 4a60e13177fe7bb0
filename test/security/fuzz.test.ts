/**
 * Property-based fuzzing of the three listeners (fast-check), bounded in time: whatever a client sends, the
 * answer is a 4xx or a 2xx, never a 5xx, and the server keeps answering. Seeds are printed on failure, so a
 * finding can be replayed with `fc.assert(..., { seed })`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { request } from 'undici';
import { broker, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await server.apply(broker('default'));
});
after(() => server.stop());

/** Each listener gets this long (in ms) of generated requests. */
const TIME_LIMIT_MS = 6000;

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('1.0', '0.3', '', ' ', '%', '%zz', '\u00e9', '99999999999999999999', '-1', 'null', '{}'),
);
/** Header values must be valid for undici to send them: no control characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are replaced
const headerValue = text.map((value) => value.replace(/[\u0000-\u001f\u007f-\uffff]/g, 'x'));
const attribute = fc.constantFrom(
  'ce-specversion',
  'ce-id',
  'ce-source',
  'ce-type',
  'ce-time',
  'ce-subject',
  'ce-dataschema',
  'ce-knativebrokerttl',
  'ce-traceparent',
  'ce-x',
  'content-type',
);
const contentType = fc.constantFrom(
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
  'application/json',
  'text/plain',
  'application/cloudevents+avro',
  'multipart/form-data',
);
const jsonish = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .record({
      specversion: text,
      id: text,
      source: text,
      type: text,
      data: fc.jsonValue({ maxDepth: 2 }),
      knativebrokerttl: fc.oneof(fc.integer(), fc.double(), text),
    })
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
);
const headers = fc.dictionary(attribute, headerValue, { maxKeys: 8 });

function assertNoServerError(status: number, what: unknown): void {
  assert.ok(status < 500, `${status} for ${JSON.stringify(what).slice(0, 500)}`);
}

async function send(url: string, method: string, requestHeaders: Record<string, string>, body?: string) {
  const response = await request(url, {
    method: method as 'POST',
    headers: requestHeaders,
    ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
  await response.body.dump();
  return response.statusCode;
}

test('ingress answers every generated request with less than 500', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('/default/default', '/default/missing', '/x', '/%zz/b', '/default/default?x=1', '//'),
      fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'OPTIONS'),
      headers,
      fc.option(contentType, { nil: undefined }),
      jsonish,
      async (path, method, ceHeaders, type, body) => {
        const all = { ...ceHeaders, ...(type === undefined ? {} : { 'content-type': type }) };
        assertNoServerError(await send(`${server.ingressUrl}${path}`, method, all, body), {
          path,
          all,
          body,
        });
      },
    ),
    { interruptAfterTimeLimit: TIME_LIMIT_MS, numRuns: 100_000 },
  );
});

test('the gateway answers every generated request with less than 500', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(
        '/app/events',
        '/app/v1/events',
        '/app/v1/events/subscribed',
        '/%zz/events',
        '/a/b/c/d',
      ),
      fc.constantFrom('POST', 'GET', 'DELETE'),
      fc.option(fc.constantFrom('Bearer x', 'Bearer ', 'Basic y', `Bearer ${'a'.repeat(300)}`), {
        nil: undefined,
      }),
      headers,
      jsonish,
      async (path, method, authorization, ceHeaders, body) => {
        const all = { ...ceHeaders, ...(authorization === undefined ? {} : { authorization }) };
        assertNoServerError(await send(`${server.gatewayUrl}${path}`, method, all, body), {
          path,
          all,
          body,
        });
      },
    ),
    { interruptAfterTimeLimit: TIME_LIMIT_MS, numRuns: 100_000 },
  );
});

test('the admin API answers every generated authenticated request with less than 500', async () => {
  const path = fc.constantFrom(
    '/api/v1/namespaces',
    '/api/v1/namespaces/default',
    '/apis/eventing.knative.dev/v1/namespaces/default/brokers',
    '/apis/eventing.knative.dev/v1/namespaces/default/triggers',
    '/apis/eventing.knative.dev/v1/namespaces/default/triggers/t',
    '/apis/applicationconnector.kyma-project.io/v1alpha1/applications',
    '/apis/x/v1/things',
    '/api/v1/namespaces/%zz',
  );
  const body = fc.oneof(
    jsonish,
    fc
      .record({
        apiVersion: fc.constantFrom('eventing.knative.dev/v1', 'v1', 'x'),
        kind: fc.constantFrom('Trigger', 'Broker', 'Namespace', 'X'),
        metadata: fc.record({
          name: fc.oneof(text, fc.constant('t')),
          namespace: fc.constantFrom('default', 'x'),
        }),
        spec: fc.jsonValue({ maxDepth: 3 }),
      })
      .map((value) => JSON.stringify(value)),
  );
  await fc.assert(
    fc.asyncProperty(
      path,
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      fc.constantFrom('application/json', 'application/merge-patch+json', 'text/plain'),
      body,
      async (where, method, type, payload) => {
        const all = { authorization: `Bearer ${server.token}`, 'content-type': type };
        assertNoServerError(await send(`${server.adminUrl}${where}`, method, all, payload), {
          where,
          method,
          payload,
        });
      },
    ),
    { interruptAfterTimeLimit: TIME_LIMIT_MS, numRuns: 100_000 },
  );
  const health = await request(`${server.adminUrl}/healthz`);
  assert.equal(health.statusCode, 200);
  await health.body.dump();
});
