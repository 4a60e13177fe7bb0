import { startNatsServer } from '../test/support/nats.js';
import { openJetStream } from '../src/backends/jetstream/index.js';
const s = await startNatsServer();
const { backend, resources: store } = await openJetStream({ servers: [s.url], prefix: 'dbg' });
await backend.close();
const b = (n: string) => ({ apiVersion: 'v1', kind: 'Broker', metadata: { name: n, namespace: 'ns' } });
await store.create(b('before'));
const controller = new AbortController();
const watch = store.watch({ signal: controller.signal });
const a = await store.create(b('a'));
console.log('1');
await store.replace({ ...a, spec: { v: 2 } });
console.log('2');
await store.delete({ kind: 'Broker', namespace: 'ns', name: 'a' });
console.log('3');
const events = [];
for await (const e of watch) {
  events.push(e);
  console.log(e.type);
  if (events.length === 3) break;
}
console.log('took');
controller.abort();
await store.close();
console.log('closed');
await s.dispose();
