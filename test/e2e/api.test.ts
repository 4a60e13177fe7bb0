// The control-plane API over real HTTP (ARCHITECTURE 2.4): only the API handler, on port 0, over the memory
// resource store. Runtime routes use a small in-test RuntimeQueries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type Dispatcher } from 'undici';
import { MeshError } from '../../src/core/errors.js';
import { allKinds } from '../../src/core/resources/index.js';
import type { RuntimeQueries } from '../../src/controlplane/api/runtime.js';
import { startApi, type ApiServer } from '../support/cli.js';

const BROKERS = '/apis/eventing.knative.dev/v1/namespaces/default/brokers';
const TRIGGERS = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';

interface Reply {
  status: number;
  text: string;
  body: any;
  headers: Dispatcher.ResponseData['headers'];
}

let api: ApiServer;
const replays: { name: string; since: string }[] = [];

const runtime: RuntimeQueries = {
  async *tail(ref, signal) {
    if (ref.name === 'unwired')
      throw new MeshError('MESH_BROKER_NOT_FOUND', 'broker default/unwired is not running');
    for (let i = 1; i <= 2 && !signal.aborted; i++) {
      yield { specversion: '1.0', id: `e${i}`, source: '/test', type: 'tail.test', broker: ref.name };
    }
  },
  async deliveries(query) {
    return [{ query }];
  },
  async replay(ref, since) {
    replays.push({ name: ref.name, since: since.toISOString() });
    return 3;
  },
  async issueApplicationToken(name) {
    return `token-for-${name}`;
  },
  async stats(ref, windowSeconds) {
    return { kind: 'BrokerStats', broker: ref.name, windowSeconds };
  },
  async redeliver(ref, event) {
    return event.id === 'forgotten' ? 0 : 1;
  },
};

before(async () => {
  api = await startApi({
    runtime,
    routes: { '/healthz': (_req, res) => res.end('ok') },
    now: () => new Date('2024-05-01T12:00:00.123Z'),
  });
});
after(() => api.close());

async function call(
  method: Dispatcher.HttpMethod,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await request(api.url + path, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // NDJSON or plain text: keep the text.
  }
  return { status: res.statusCode, text, body: parsed, headers: res.headers };
}

function broker(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name }, ...extra };
}

function assertStatus(reply: Reply, code: number, reason: string, message?: RegExp): void {
  assert.equal(reply.status, code, JSON.stringify(reply.body));
  assert.equal(reply.body.kind, 'Status');
  assert.equal(reply.body.status, 'Failure');
  assert.equal(reply.body.code, code);
  assert.equal(reply.body.reason, reason);
  if (message) assert.match(reply.body.message, message);
}

test('every API request without the bearer token, or with a wrong one, is a 401 Status', async () => {
  const none = await request(api.url + BROKERS);
  const body = (await none.body.json()) as { kind: string; reason: string };
  assert.equal(none.statusCode, 401);
  assert.equal(body.kind, 'Status');
  assert.equal(body.reason, 'Unauthorized');
  assert.equal(none.headers['www-authenticate'], 'Bearer realm="cemesh"');
  const wrong = await call('GET', BROKERS, undefined, { authorization: 'Bearer nope' });
  assertStatus(wrong, 401, 'Unauthorized', /not valid/);
  // Unknown paths do not reveal what exists before authentication.
  const unknown = await call('GET', '/apis/x/v1/ys', undefined, { authorization: 'Basic abc' });
  assert.equal(unknown.status, 401);
});

test('extra routes answer GET without a token; other methods on them are 405', async () => {
  const res = await request(api.url + '/healthz');
  assert.equal(res.statusCode, 200);
  assert.equal(await res.body.text(), 'ok');
  const post = await call('POST', '/healthz', {});
  assertStatus(post, 405, 'MethodNotAllowed');
});

test('create answers 201 with uid, creationTimestamp, generation 1 and a resourceVersion; defaults applied', async () => {
  const reply = await call('POST', BROKERS, broker('created'));
  assert.equal(reply.status, 201);
  const meta = reply.body.metadata;
  assert.match(meta.uid, /^[0-9a-f-]{36}$/);
  assert.equal(meta.creationTimestamp, '2024-05-01T12:00:00Z');
  assert.equal(meta.generation, 1);
  assert.match(meta.resourceVersion, /^\d+$/);
  assert.equal(meta.namespace, 'default');
  assert.equal(meta.annotations['eventing.knative.dev/broker.class'], 'MTChannelBasedBroker');
  const got = await call('GET', `${BROKERS}/created`);
  assert.deepEqual(got.body, reply.body);
});

test('user-sent status and system metadata are ignored on create', async () => {
  const reply = await call(
    'POST',
    BROKERS,
    broker('statusless', {
      metadata: { name: 'statusless', uid: 'mine', generation: 7, resourceVersion: '999' },
      status: { address: { url: 'http://evil' } },
    }),
  );
  assert.equal(reply.status, 201);
  assert.equal(reply.body.status, undefined);
  assert.notEqual(reply.body.metadata.uid, 'mine');
  assert.equal(reply.body.metadata.generation, 1);
});

test('creating an existing object is a 409 AlreadyExists', async () => {
  await call('POST', BROKERS, broker('twice'));
  const again = await call('POST', BROKERS, broker('twice'));
  assertStatus(again, 409, 'AlreadyExists', /brokers\.eventing\.knative\.dev "twice" already exists/);
});

test('an invalid object is a 422 Status listing every cause with its field', async () => {
  const reply = await call('POST', TRIGGERS, {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name: 'bad' },
    spec: {
      filters: [{ exact: { type: 'a' } }, { exact: { type: 'b' }, prefix: { source: 'c' } }],
      delivery: { backoffDelay: 'soon' },
    },
  });
  assertStatus(reply, 422, 'Invalid');
  const fields = (reply.body.details.causes as { field: string }[]).map((c) => c.field).sort();
  assert.deepEqual(fields, ['spec.delivery.backoffDelay', 'spec.filters[1]', 'spec.subscriber']);
  for (const field of fields) assert.ok(reply.body.message.includes(field), `message names ${field}`);
});

test('a body that is not JSON is a 400 naming the position', async () => {
  const reply = await call('POST', BROKERS, '{"apiVersion": "eventing.knative.dev/v1",\n "kind": }');
  assertStatus(reply, 400, 'BadRequest', /position 51 \(line 2, column 10\)/);
  const array = await call('POST', BROKERS, '[]');
  assertStatus(array, 400, 'BadRequest', /JSON object/);
});

test('a body whose kind, apiVersion, name or namespace disagrees with the path is a 400', async () => {
  const kind = await call('POST', BROKERS, {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name: 'x' },
  });
  assertStatus(kind, 400, 'BadRequest', /do not match the URL/);
  const version = await call('POST', BROKERS, {
    apiVersion: 'eventing.knative.dev/v1beta1',
    kind: 'Broker',
    metadata: { name: 'x' },
  });
  assertStatus(version, 400, 'BadRequest', /eventing\.knative\.dev\/v1beta1/);
  const namespace = await call('POST', BROKERS, broker('x', { metadata: { name: 'x', namespace: 'other' } }));
  assertStatus(namespace, 400, 'BadRequest', /namespace of the object \("other"\) does not match/);
  await call('POST', BROKERS, broker('named'));
  const name = await call('PUT', `${BROKERS}/named`, broker('renamed'));
  assertStatus(
    name,
    400,
    'BadRequest',
    /name of the object \("renamed"\) does not match the name on the URL \(named\)/,
  );
});

test('a request body over 4 MiB is a 413', async () => {
  const big = JSON.stringify(broker('big', { spec: { pad: 'x'.repeat(4 * 1024 * 1024) } }));
  const reply = await call('POST', BROKERS, big);
  assertStatus(reply, 413, 'RequestEntityTooLarge');
});

test('a namespaced object in a namespace that does not exist is a 404; default always exists', async () => {
  const reply = await call('POST', '/apis/eventing.knative.dev/v1/namespaces/ghost/brokers', broker('b'));
  assertStatus(reply, 404, 'NotFound', /namespaces "ghost" not found/);
  await call('DELETE', '/api/v1/namespaces/default');
  const inDefault = await call('POST', BROKERS, broker('in-default'));
  assert.equal(inDefault.status, 201);
});

test('namespace default cannot be deleted', async () => {
  const reply = await call('DELETE', '/api/v1/namespaces/default');
  assertStatus(reply, 403, 'Forbidden');
});

test('unknown group, version or plural is a 404 naming it', async () => {
  assertStatus(
    await call('GET', '/apis/eventing.knative.dev/v1/namespaces/default/brokerz'),
    404,
    'NotFound',
    /"brokerz"/,
  );
  assertStatus(
    await call('GET', '/apis/eventing.knative.dev/v9/brokers'),
    404,
    'NotFound',
    /eventing\.knative\.dev\/v9/,
  );
  assertStatus(await call('GET', '/apis/sources.knative.dev/v1/pingsources'), 404, 'NotFound', /pingsources/);
  assertStatus(await call('GET', '/nothing/here'), 404, 'NotFound');
});

test('PUT replaces with resourceVersion optimistic concurrency: a stale version is a 409 Conflict', async () => {
  const created = (await call('POST', BROKERS, broker('occ'))).body;
  const updated = await call('PUT', `${BROKERS}/occ`, {
    ...created,
    metadata: { ...created.metadata, labels: { v: '2' } },
  });
  assert.equal(updated.status, 200);
  assert.notEqual(updated.body.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.equal(updated.body.metadata.uid, created.metadata.uid);
  const stale = await call('PUT', `${BROKERS}/occ`, {
    ...created,
    metadata: { ...created.metadata, labels: { v: '3' } },
  });
  assertStatus(stale, 409, 'Conflict', /the object has been modified/);
  const missing = await call('PUT', `${BROKERS}/nobody`, broker('nobody'));
  assertStatus(missing, 404, 'NotFound');
});

test('generation is bumped when the spec changes, not when only labels do; stored status is kept', async () => {
  const created = (await call('POST', BROKERS, broker('gen'))).body;
  const stored = await api.store.get({ kind: 'Broker', namespace: 'default', name: 'gen' });
  assert.ok(stored);
  await api.store.replace({
    ...stored,
    status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const labels = await call('PUT', `${BROKERS}/gen`, {
    ...created,
    metadata: { name: 'gen', labels: { a: 'b' } },
    status: {},
  });
  assert.equal(labels.body.metadata.generation, 1);
  assert.equal(labels.body.status.conditions[0].status, 'True');
  const spec = await call('PUT', `${BROKERS}/gen`, {
    ...created,
    metadata: { name: 'gen' },
    spec: { delivery: { retry: 2 } },
  });
  assert.equal(spec.body.metadata.generation, 2);
  assert.equal(spec.body.status.observedGeneration, 1);
});

test('PATCH applies a JSON merge patch (RFC 7396) , a JSON patch (RFC 6902); strategic merge is a 415', async () => {
  await call(
    'POST',
    BROKERS,
    broker('patched', { metadata: { name: 'patched', labels: { a: '1', b: '2' } } }),
  );
  const patch = {
    metadata: { labels: { a: null, c: '3' } },
    spec: { delivery: { retry: 4 } },
    status: { x: 1 },
  };
  const reply = await call('PATCH', `${BROKERS}/patched`, patch, {
    'content-type': 'application/merge-patch+json',
  });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body.metadata.labels, { b: '2', c: '3' });
  assert.equal(reply.body.spec.delivery.retry, 4);
  assert.equal(reply.body.status, undefined);
  assert.equal(reply.body.metadata.generation, 2);
  const jsonPatch = await call('PATCH', `${BROKERS}/patched`, [{ op: 'remove', path: '/spec' }], {
    'content-type': 'application/json-patch+json',
  });
  assert.equal(jsonPatch.status, 200);
  assert.equal(jsonPatch.body.spec, undefined);
  const strategic = await call(
    'PATCH',
    `${BROKERS}/patched`,
    { spec: {} },
    {
      'content-type': 'application/strategic-merge-patch+json',
    },
  );
  assertStatus(strategic, 415, 'UnsupportedMediaType', /merge-patch\+json/);
  const invalid = await call(
    'PATCH',
    `${BROKERS}/patched`,
    { spec: { delivery: { retry: -1 } } },
    { 'content-type': 'application/merge-patch+json' },
  );
  assertStatus(invalid, 422, 'Invalid', /spec\.delivery\.retry/);
  const stale = await call(
    'PATCH',
    `${BROKERS}/patched`,
    { metadata: { resourceVersion: '1' } },
    { 'content-type': 'application/merge-patch+json' },
  );
  assertStatus(stale, 409, 'Conflict');
});

test('DELETE answers 200 with the deleted object; deleting again is a 404', async () => {
  await call('POST', BROKERS, broker('doomed'));
  const reply = await call('DELETE', `${BROKERS}/doomed`);
  assert.equal(reply.status, 200);
  assert.equal(reply.body.metadata.name, 'doomed');
  assertStatus(await call('DELETE', `${BROKERS}/doomed`), 404, 'NotFound', /"doomed" not found/);
});

test('deleting a Namespace deletes every namespaced object in it', async () => {
  await call('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team' },
  });
  const teamBrokers = '/apis/eventing.knative.dev/v1/namespaces/team/brokers';
  assert.equal((await call('POST', teamBrokers, broker('b1'))).status, 201);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } };
  assert.equal((await call('POST', '/api/v1/namespaces/team/configmaps', cm)).status, 201);
  const deleted = await call('DELETE', '/api/v1/namespaces/team');
  assert.equal(deleted.status, 200);
  assert.deepEqual((await call('GET', teamBrokers)).body.items, []);
  assert.deepEqual((await call('GET', '/api/v1/namespaces/team/configmaps')).body.items, []);
  assert.equal((await call('GET', `${BROKERS}/created`)).status, 200, 'other namespaces keep theirs');
});

test('list answers a <Kind>List with a resourceVersion, filtered by label selectors', async () => {
  for (const [name, labels] of [
    ['sel-a', { app: 'shop', tier: 'web' }],
    ['sel-b', { app: 'shop' }],
    ['sel-c', { app: 'crm' }],
  ] as const) {
    await call('POST', BROKERS, broker(name, { metadata: { name, labels } }));
  }
  const names = async (selector: string): Promise<string[]> => {
    const reply = await call('GET', `${BROKERS}?labelSelector=${encodeURIComponent(selector)}`);
    assert.equal(reply.body.kind, 'BrokerList');
    assert.equal(reply.body.apiVersion, 'eventing.knative.dev/v1');
    assert.match(reply.body.metadata.resourceVersion, /^\d+$/);
    return (reply.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
  };
  assert.deepEqual(await names('app=shop'), ['sel-a', 'sel-b']);
  assert.deepEqual(await names('app=shop,tier'), ['sel-a']);
  assert.deepEqual(await names('app,!tier'), ['sel-b', 'sel-c']);
  assert.deepEqual(await names('app!=shop,app'), ['sel-c']);
  assertStatus(
    await call('GET', `${BROKERS}?labelSelector=${encodeURIComponent('env in (a)')}`),
    400,
    'BadRequest',
  );
});

test('the all-namespaces list spans namespaces; it cannot take a POST', async () => {
  await call('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'other' },
  });
  await call('POST', '/apis/eventing.knative.dev/v1/namespaces/other/brokers', broker('elsewhere'));
  const all = await call('GET', '/apis/eventing.knative.dev/v1/brokers');
  const namespaces = new Set(
    (all.body.items as { metadata: { namespace: string } }[]).map((i) => i.metadata.namespace),
  );
  assert.deepEqual([...namespaces].sort(), ['default', 'other']);
  assertStatus(
    await call('POST', '/apis/eventing.knative.dev/v1/brokers', broker('x')),
    405,
    'MethodNotAllowed',
  );
});

test('cluster-scoped Applications live outside namespaces; a namespace in the body is ignored', async () => {
  const apps = '/apis/applicationconnector.kyma-project.io/v1alpha1/applications';
  const app = {
    apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'x' },
  };
  const reply = await call('POST', apps, app);
  assert.equal(reply.status, 201);
  assert.equal(reply.body.metadata.namespace, undefined);
  assert.equal((await call('GET', `${apps}/shop`)).status, 200);
});

function ndjson(
  text: string,
): { type: string; object: { metadata: { name: string; resourceVersion: string } } }[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) =>
        JSON.parse(l) as { type: string; object: { metadata: { name: string; resourceVersion: string } } },
    );
}

test('watch streams ADDED for existing objects, then changes, as NDJSON lines until timeoutSeconds', async () => {
  const ns = '/apis/eventing.knative.dev/v1/namespaces/watched/brokers';
  await call('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'watched' },
  });
  await call('POST', ns, broker('w1'));
  const pending = request(`${api.url}${ns}?watch=true&timeoutSeconds=1`, {
    headers: { authorization: `Bearer ${api.token}` },
  });
  const res = await pending;
  assert.equal(res.headers['content-type'], 'application/x-ndjson; charset=utf-8');
  await call('POST', ns, broker('w2'));
  await call('DELETE', `${ns}/w1`);
  const lines = ndjson(await res.body.text());
  assert.deepEqual(
    lines.map((l) => `${l.type} ${l.object.metadata.name}`),
    ['ADDED w1', 'ADDED w2', 'DELETED w1'],
  );
});

test('watch resumes after a resourceVersion: exactly the changes made since it, nothing before', async () => {
  const ns = '/apis/eventing.knative.dev/v1/namespaces/resumed/brokers';
  await call('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'resumed' },
  });
  await call('POST', ns, broker('before'));
  const list = await call('GET', ns);
  await call('POST', ns, broker('after-1'));
  await call(
    'PATCH',
    `${ns}/before`,
    { metadata: { labels: { x: 'y' } } },
    { 'content-type': 'application/merge-patch+json' },
  );
  const watched = await watchLines(
    `${ns}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
    2,
  );
  assert.deepEqual(
    watched.map((l) => `${l.type} ${l.object.metadata.name}`),
    ['ADDED after-1', 'MODIFIED before'],
  );
  const selected = await watchLines(`${ns}?watch=true&labelSelector=x%3Dy`, 1);
  assert.deepEqual(
    selected.map((l) => l.object.metadata.name),
    ['before'],
  );
});

/** Reads a watch until `count` lines came, then hangs up (the server ends the watch when the client leaves). */
async function watchLines(path: string, count: number): Promise<ReturnType<typeof ndjson>> {
  const controller = new AbortController();
  const res = await request(api.url + path, {
    headers: { authorization: `Bearer ${api.token}` },
    signal: controller.signal,
  });
  let text = '';
  try {
    for await (const chunk of res.body) {
      text += String(chunk);
      if (ndjson(text).length >= count) break;
    }
  } finally {
    controller.abort();
  }
  return ndjson(text);
}

test('a watch from a resourceVersion the store no longer has ends with an ERROR line', async () => {
  const reply = await call('GET', `${BROKERS}?watch=true&timeoutSeconds=1&resourceVersion=abc`);
  const [line] = reply.text.split('\n');
  const error = JSON.parse(line ?? '{}') as { type: string; object: { kind: string; code: number } };
  assert.equal(error.type, 'ERROR');
  assert.equal(error.object.kind, 'Status');
  assert.equal(error.object.code, 400);
});

test("tail streams a broker's events as NDJSON; unknown brokers are 404", async () => {
  const reply = await call('GET', `${BROKERS}/created/tail`);
  assert.equal(reply.status, 200);
  const events = reply.text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; broker: string });
  assert.deepEqual(
    events.map((e) => `${e.id}@${e.broker}`),
    ['e1@created', 'e2@created'],
  );
  assertStatus(await call('GET', `${BROKERS}/absent/tail`), 404, 'NotFound', /"absent" not found/);
  await call('POST', BROKERS, broker('unwired'));
  const unwired = ndjson((await call('GET', `${BROKERS}/unwired/tail`)).text);
  assert.equal(unwired[0]?.type, 'ERROR');
});

test('delivery history routes pass the query to the runtime', async () => {
  const byBroker = await call('GET', `${BROKERS}/created/deliveries?source=%2Fs&id=42&limit=5`);
  assert.equal(byBroker.status, 200);
  assert.deepEqual(byBroker.body.items, [
    { query: { namespace: 'default', broker: 'created', source: '/s', id: '42', limit: 5 } },
  ]);
  await call('POST', TRIGGERS, {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name: 'tr' },
    spec: { broker: 'created', subscriber: { uri: 'http://127.0.0.1:9/' } },
  });
  const byTrigger = await call('GET', `${TRIGGERS}/tr/deliveries`);
  assert.deepEqual(byTrigger.body.items, [{ query: { namespace: 'default', trigger: 'tr', limit: 100 } }]);
  assertStatus(await call('GET', `${BROKERS}/created/deliveries?limit=0`), 400, 'BadRequest', /limit/);
  assertStatus(await call('POST', `${BROKERS}/created/deliveries`, {}), 405, 'MethodNotAllowed');
  assertStatus(await call('GET', `${BROKERS}/created/nothing`), 404, 'NotFound');
});

test('replay takes an RFC 3339 since and answers the count', async () => {
  const reply = await call('POST', `${TRIGGERS}/tr/replay`, { since: '2024-05-01T10:00:00Z' });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { replayed: 3 });
  assert.deepEqual(replays.at(-1), { name: 'tr', since: '2024-05-01T10:00:00.000Z' });
  const bad = await call('POST', `${TRIGGERS}/tr/replay`, { since: 'yesterday' });
  assertStatus(bad, 400, 'BadRequest', /RFC 3339/);
  assert.deepEqual(bad.body.details.causes, [{ field: 'since', message: 'must be an RFC 3339 time' }]);
  assertStatus(
    await call('POST', `${TRIGGERS}/none/replay`, { since: '2024-05-01T10:00:00Z' }),
    404,
    'NotFound',
  );
});

test('deliveries filter by outcome; an unknown outcome is a 400 listing the known ones', async () => {
  const failed = await call('GET', `${TRIGGERS}/tr/deliveries?outcome=failed&limit=7`);
  assert.deepEqual(failed.body.items, [
    { query: { namespace: 'default', trigger: 'tr', outcome: 'failed', limit: 7 } },
  ]);
  const byBroker = await call('GET', `${BROKERS}/created/deliveries?outcome=dead-lettered`);
  assert.deepEqual(byBroker.body.items, [
    { query: { namespace: 'default', broker: 'created', outcome: 'dead-lettered', limit: 100 } },
  ]);
  assertStatus(
    await call('GET', `${TRIGGERS}/tr/deliveries?outcome=lost`),
    400,
    'BadRequest',
    /outcome must be one of pending, delivered, dead-lettered, undeliverable, failed/,
  );
});

test('broker stats take a window of 1 to 3600 seconds (60 by default)', async () => {
  assert.deepEqual((await call('GET', `${BROKERS}/created/stats`)).body, {
    kind: 'BrokerStats',
    broker: 'created',
    windowSeconds: 60,
  });
  assert.equal((await call('GET', `${BROKERS}/created/stats?window=300`)).body.windowSeconds, 300);
  for (const window of ['0', '3601', 'a', '-5'])
    assertStatus(await call('GET', `${BROKERS}/created/stats?window=${window}`), 400, 'BadRequest', /window/);
  assertStatus(await call('GET', `${BROKERS}/absent/stats`), 404, 'NotFound');
  assertStatus(await call('POST', `${BROKERS}/created/stats`, {}), 405, 'MethodNotAllowed');
});

test('redeliver needs exactly source and id, and is a 404 for an event no longer retained', async () => {
  const reply = await call('POST', `${TRIGGERS}/tr/redeliver`, { source: '/s', id: 'e1' });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { redelivered: 1 });
  const bad = await call('POST', `${TRIGGERS}/tr/redeliver`, { id: '', extra: 1 });
  assertStatus(bad, 400, 'BadRequest', /source: required/);
  assert.deepEqual(
    bad.body.details.causes.map((c: { field: string }) => c.field),
    ['source', 'id', 'extra'],
  );
  assertStatus(
    await call('POST', `${TRIGGERS}/tr/redeliver`, { source: '/s', id: 'forgotten' }),
    404,
    'NotFound',
    /not retained/,
  );
});

test('discovery lists groups, versions, kinds and their runtime routes, as Kubernetes does', async () => {
  const core = await call('GET', '/api');
  assert.deepEqual(core.body, { kind: 'APIVersions', versions: ['v1'] });
  const groups = await call('GET', '/apis');
  assert.equal(groups.body.kind, 'APIGroupList');
  assert.deepEqual(
    groups.body.groups.map((g: { name: string }) => g.name),
    [
      'eventing.knative.dev',
      'applicationconnector.kyma-project.io',
      'serverless.kyma-project.io',
      'eventing.kyma-project.io',
    ],
  );
  const eventing = await call('GET', '/apis/eventing.knative.dev/v1');
  assert.equal(eventing.body.kind, 'APIResourceList');
  assert.equal(eventing.body.groupVersion, 'eventing.knative.dev/v1');
  const names = eventing.body.resources.map((r: { name: string }) => r.name);
  assert.deepEqual(names, [
    'brokers',
    'brokers/tail',
    'brokers/deliveries',
    'brokers/stats',
    'triggers',
    'triggers/deliveries',
    'triggers/replay',
    'triggers/redeliver',
  ]);
  const brokers = eventing.body.resources[0];
  assert.deepEqual(
    { kind: brokers.kind, namespaced: brokers.namespaced, shortNames: brokers.shortNames },
    { kind: 'Broker', namespaced: true, shortNames: ['brk'] },
  );
  assert.deepEqual(
    brokers.additionalPrinterColumns.map((c: { name: string }) => c.name),
    allKinds()
      .find((k) => k.kind === 'Broker')
      ?.printerColumns.map((c) => c.name),
    'the printer columns cemesh get uses, from the kind registry',
  );
  assert.equal(brokers.additionalPrinterColumns[2].jsonPath, '.status.address.url');
  const v1 = await call('GET', '/api/v1');
  assert.ok(v1.body.resources.some((r: { kind: string }) => r.kind === 'Namespace'));
  assertStatus(await call('GET', '/apis/eventing.knative.dev/v9'), 404, 'NotFound');
  assertStatus(await call('POST', '/apis', {}), 405, 'MethodNotAllowed');
  const anonymous = await request(`${api.url}/apis`);
  assert.equal(anonymous.statusCode, 401, 'discovery needs the token too');
  await anonymous.body.dump();
});

test('application tokens are issued for existing Applications only', async () => {
  const route = '/apis/applicationconnector.kyma-project.io/v1alpha1/applications';
  const reply = await call('POST', `${route}/shop/token`, {});
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { token: 'token-for-shop' });
  assertStatus(
    await call('POST', `${route}/ghost/token`),
    404,
    'NotFound',
    /applications\.applicationconnector\.kyma-project\.io "ghost" not found/,
  );
});

test('runtime routes are 404 when the runtime lacks the query', async () => {
  const bare = await startApi();
  try {
    await request(`${bare.url}${BROKERS}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bare.token}` },
      body: JSON.stringify(broker('b')),
    }).then((r) => r.body.dump());
    const res = await request(`${bare.url}${BROKERS}/b/tail`, {
      headers: { authorization: `Bearer ${bare.token}` },
    });
    const status = (await res.body.json()) as { code: number; message: string };
    assert.equal(res.statusCode, 404);
    assert.match(status.message, /not available/);
  } finally {
    await bare.close();
  }
});

test('the API never crashes on junk: odd methods, paths, encodings and bodies get a Status', async () => {
  const cases: [Dispatcher.HttpMethod, string, string | undefined][] = [
    ['GET', '/api/v1/namespaces/%E0%A4%A', undefined],
    ['OPTIONS', BROKERS, undefined],
    ['POST', BROKERS, 'null'],
    ['POST', BROKERS, '"string"'],
    ['POST', BROKERS, '{"metadata": []}'],
    ['POST', BROKERS, '{"metadata": {"name": 42}}'],
    ['POST', BROKERS, '{"metadata": {"name": "x", "resourceVersion": 5}}'],
    ['POST', BROKERS, '{"__proto__": {"admin": true}, "metadata": {"name": "proto"}}'],
    ['PUT', `${BROKERS}/x`, ''],
    ['GET', `${BROKERS}?watch=true&timeoutSeconds=-1`, undefined],
    ['GET', '/apis/eventing.knative.dev/v1/namespaces/default/brokers/a/b/c/d', undefined],
    ['POST', '/api/v1/namespaces', '['.repeat(10_000)],
  ];
  for (const [method, path, body] of cases) {
    const reply = await call(method, path, body);
    assert.ok(
      reply.status >= 200 && reply.status < 500,
      `${method} ${path} ${String(body).slice(0, 40)} -> ${reply.status}`,
    );
    if (reply.status >= 400) assert.equal(reply.body.kind, 'Status');
  }
  assert.equal((await call('GET', BROKERS)).status, 200, 'still serving');
});
