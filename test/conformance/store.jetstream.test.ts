// The jetstream backend and resource store against the store conformance suites, on a real nats-server
// (loopback, a port it picks, a temp store dir) started here and stopped at the end. Each test's temp dir
// becomes a prefix of its own, so tests share the server but not streams or buckets; reopening the same
// dir reopens the same prefix, which is what the durable cases check.
import { after, before, test } from 'node:test';
import { createHash } from 'node:crypto';
import { openJetStream, type JetStreamOptions } from '../../src/backends/jetstream/index.js';
import { natsServerBinary, startNatsServer, type NatsServer } from '../support/nats.js';
import { backendConformance, resourceStoreConformance } from './store-suite.js';

if (natsServerBinary() === undefined) {
  test(
    'jetstream conformance',
    { skip: 'nats-server is not installed (apt-get install nats-server)' },
    () => {},
  );
} else {
  let server: NatsServer | undefined;
  before(async () => {
    server = await startNatsServer();
  });
  after(() => server?.dispose());

  const options = (dir: string): JetStreamOptions => ({
    servers: [server!.url],
    prefix: `t${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`,
  });

  backendConformance('jetstream', {
    open: async (dir) => {
      const { backend, resources } = await openJetStream(options(dir));
      await resources.close();
      return backend;
    },
    durable: true,
  });

  resourceStoreConformance('jetstream', {
    open: async (dir) => {
      const { backend, resources } = await openJetStream(options(dir));
      await backend.close();
      return resources;
    },
    durable: true,
  });
}
