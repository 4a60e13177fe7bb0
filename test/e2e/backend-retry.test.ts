// A broker whose backend cannot be opened (here: NATS not running) is retried on a timer and becomes Ready
// once the backend is reachable, with no change to any resource.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { natsServerBinary, startNatsServer, type NatsServer } from '../support/nats.js';
import { broker, namespace, startTestServer, type TestServer } from '../support/server.js';

const installed = natsServerBinary() !== undefined;
let nats: NatsServer | undefined;
let server: TestServer | undefined;

after(async () => {
  await server?.stop();
  await nats?.dispose();
});

async function backendCondition(s: TestServer): Promise<{ status?: string; reason?: string } | undefined> {
  const res = await s.api('GET', '/apis/eventing.knative.dev/v1/namespaces/late/brokers/default');
  const conditions = (res.body?.status?.conditions ?? []) as {
    type: string;
    status: string;
    reason: string;
  }[];
  return conditions.find((c) => c.type === 'BackendReady');
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test(
  'a broker on an unreachable NATS becomes Ready by itself once NATS is up',
  installed ? {} : { skip: 'nats-server is not installed (apt-get install nats-server)' },
  async () => {
    nats = await startNatsServer();
    await nats.stop();
    server = await startTestServer({ flags: { nats: nats.url } });
    const s = server;
    await s.apply(
      namespace('late', { 'eventing.cemesh.dev/persistence': 'jetstream' }),
      broker('default', 'late'),
    );
    const down = await until(
      'BackendUnavailable',
      async () => {
        const c = await backendCondition(s);
        return c?.reason === 'BackendUnavailable' ? c : undefined;
      },
      15_000,
    );
    assert.equal(down.status, 'False');

    await nats.start();
    await until(
      'BackendReady',
      async () => ((await backendCondition(s))?.status === 'True' ? true : undefined),
      30_000,
    );
    const res = await request(`${s.ingressUrl}/late/default`, {
      method: 'POST',
      headers: { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/t', 'ce-type': 't' },
    });
    assert.equal(res.statusCode, 202, await res.body.text());
  },
);
