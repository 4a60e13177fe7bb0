// --advertise-url: brokers publish the given ingress URL in status.address instead of the listen address,
// so replicas behind one load balancer agree on it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { broker, namespace, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer({ flags: { advertiseUrl: 'https://events.example.com/mesh/' } });
});
after(async () => {
  await server.stop();
});

test('a Ready broker publishes its address under the advertised URL', async () => {
  await server.apply(namespace('adv'), broker('orders', 'adv'));
  const deadline = Date.now() + 10_000;
  let address: string | undefined;
  while (address === undefined && Date.now() < deadline) {
    const res = await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/adv/brokers/orders');
    address = res.body?.status?.address?.url as string | undefined;
    if (address === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(address, 'https://events.example.com/mesh/adv/orders');
});
