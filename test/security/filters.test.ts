/**
 * Bounded filters: a CESQL expression too large or too deep is refused at admission with a 422 that says
 * which limit, and the costliest LIKE admission lets through does not hold up delivery of a 1 MiB event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { broker, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

let server: TestServer;
let subscriber: Subscriber;
before(async () => {
  server = await startTestServer();
  subscriber = await startSubscriber();
  await server.apply(broker('default'));
});
after(async () => {
  await server.stop();
  await subscriber.close();
});

const TRIGGERS = '/apis/eventing.knative.dev/v1/namespaces/default/triggers';

const refused: [name: string, cesql: string, message: RegExp][] = [
  ['too-long', `type = '${'x'.repeat(5000)}'`, /expression too long: 5009 characters, at most 4096/],
  ['long-like', `type LIKE '${'_'.repeat(300)}'`, /LIKE pattern too long: 300 characters, at most 256/],
  ['deep', `${'('.repeat(100)}TRUE${')'.repeat(100)}`, /nested too deeply \(more than 64 levels\)/],
  ['chain', Array.from({ length: 300 }, () => '1').join(' + ') + ' > 0', /nested too deeply/],
];

for (const [name, cesql, message] of refused) {
  test(`a trigger whose CESQL is ${name} is refused with 422 naming the limit`, async () => {
    const result = await server.api(
      'POST',
      TRIGGERS,
      trigger(name, { broker: 'default', filters: [{ cesql }], subscriber: { uri: subscriber.url } }),
    );
    assert.equal(result.status, 422);
    assert.match(JSON.stringify(result.body), message);
  });
}

test('the costliest LIKE admission allows does not stop a 1 MiB event from being delivered', async () => {
  const pattern = `%${'a_'.repeat(126)}b%`;
  await server.apply(
    trigger('worst-like', {
      broker: 'default',
      filters: [{ cesql: `big LIKE '${pattern}' OR type = 'big'` }],
      subscriber: { uri: subscriber.url },
      // Binary mode would put the 1 MiB attribute in a header, past any HTTP server's limit.
      delivery: { format: 'json' },
    }),
  );
  const response = await request(`${server.ingressUrl}/default/default`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({
      specversion: '1.0',
      id: 'big-1',
      source: '/s',
      type: 'big',
      big: 'a'.repeat(1024 * 1000),
    }),
  });
  assert.equal(response.statusCode, 202);
  await response.body.dump();
  const [received] = await subscriber.waitFor(1, 30_000);
  assert.equal((JSON.parse(received!.body.toString()) as { id: string }).id, 'big-1');
});
