// The typed client against the API alone: the verbs, watch resume, apply's three outcomes and its errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createClient,
  isClientError,
  type Client,
  type WatchEvent,
} from '../../src/controlplane/client/index.js';
import { startApi, type ApiServer } from '../support/cli.js';

let api: ApiServer;
let client: Client;

before(async () => {
  api = await startApi();
  client = createClient({ server: api.url, token: api.token });
});
after(async () => {
  await client.close();
  await api.close();
});

const broker = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Broker',
  metadata: { name },
  spec,
});

async function take(events: AsyncIterable<WatchEvent>, count: number): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of events) {
    seen.push(`${event.type} ${event.object.metadata.name}`);
    if (seen.length === count) break;
  }
  return seen;
}

test('create, get, list, replace, patch and delete round-trip through the API', async () => {
  const created = await client.create(broker('round'));
  assert.equal(created.metadata.generation, 1);
  assert.equal((await client.get('brokers', 'round')).metadata.uid, created.metadata.uid);
  const list = await client.list('brk', { namespace: 'default' });
  assert.equal(list.kind, 'BrokerList');
  assert.deepEqual(
    list.items.map((i) => i.metadata.name),
    ['round'],
  );
  const replaced = await client.replace({ ...created, spec: { delivery: { retry: 1 } } });
  assert.equal(replaced.metadata.generation, 2);
  const patched = await client.patch('broker', 'round', { metadata: { labels: { a: 'b' } } });
  assert.deepEqual(patched.metadata.labels, { a: 'b' });
  assert.equal((await client.list('broker', { labelSelector: 'a=b' })).items.length, 1);
  assert.equal((await client.delete('broker', 'round')).metadata.name, 'round');
  await assert.rejects(client.get('broker', 'round'), (e: unknown) => isClientError(e) && e.code === 404);
});

test('apply answers created, unchanged, then configured', async () => {
  assert.equal(await client.apply(broker('applied')), 'created');
  assert.equal(await client.apply(broker('applied')), 'unchanged');
  assert.equal(await client.apply(broker('applied', { delivery: { retry: 2 } })), 'configured');
  assert.equal(await client.apply(broker('applied', { delivery: { retry: 2 } })), 'unchanged');
});

test('apply carries every cause of a 422 in the ClientError', async () => {
  const error = await client
    .apply({
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: 'bad' },
      spec: { delivery: { retry: -1 } },
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(isClientError(error));
  assert.equal(error.code, 422);
  assert.equal(error.reason, 'Invalid');
  assert.deepEqual(error.causes.map((c) => c.field).sort(), ['spec.delivery.retry', 'spec.subscriber']);
});

test('watch resumes from a list resourceVersion with exactly the later changes', async () => {
  await client.create(broker('resume-a'));
  const list = await client.list('broker', { namespace: 'default' });
  await client.create(broker('resume-b'));
  await client.delete('broker', 'resume-a');
  const controller = new AbortController();
  const seen = await take(
    client.watch('broker', {
      namespace: 'default',
      resourceVersion: list.metadata.resourceVersion,
      signal: controller.signal,
    }),
    2,
  );
  controller.abort();
  assert.deepEqual(seen, ['ADDED resume-b', 'DELETED resume-a']);
});

test('a watch that ends with an ERROR line throws a ClientError carrying the Status', async () => {
  const controller = new AbortController();
  await assert.rejects(
    take(client.watch('broker', { resourceVersion: 'not-a-version', signal: controller.signal }), 1),
    (e: unknown) => isClientError(e) && e.code === 400 && /resourceVersion/.test(e.message),
  );
});

test('aborting a watch ends it quietly', async () => {
  const controller = new AbortController();
  const events = client.watch('ns', { signal: controller.signal });
  const seen: string[] = [];
  for await (const event of events) {
    seen.push(event.object.metadata.name);
    controller.abort();
  }
  // Events already read from the stream before the abort may still come; the stream then ends quietly.
  assert.equal(seen[0], 'default');
});

test('runtime routes the server lacks come back as 404 ClientErrors', async () => {
  await client.apply(broker('rt'));
  await assert.rejects(
    client.deliveries({ namespace: 'default', broker: 'rt' }),
    (e: unknown) => isClientError(e) && e.code === 404 && /not available/.test(e.message),
  );
  await assert.rejects(client.deliveries({ namespace: 'default' }), /name a broker or a trigger/);
});
