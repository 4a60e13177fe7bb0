/**
 * The jetstream Backend (ARCHITECTURE 2.6, 5): brokers are streams, queues are durable pull consumers,
 * and any number of cemesh processes may open the same brokers at once and share their deliveries.
 */
import { MeshError } from '../../core/errors.js';
import type { Backend, BrokerRef, BrokerStore } from '../../store/contracts.js';
import { JetStreamBrokerStore } from './broker-store.js';
import { ClaimBucket } from './claim.js';
import { JetStreamCompactor } from './compaction.js';
import type { SharedConnection } from './connection.js';
import { DEFAULT_HISTORY_MAX_BYTES, ensureHistoryStream, JetStreamHistory } from './history.js';

function brokerKey(ref: BrokerRef): string {
  return `${ref.namespace}/${ref.name}`;
}

export function createJetStreamBackend(
  conn: SharedConnection,
  onError: (error: unknown) => void = () => undefined,
  historyMaxBytes: number = DEFAULT_HISTORY_MAX_BYTES,
): Backend & { readonly compactor: JetStreamCompactor } {
  const release = conn.acquire();
  const brokers = new Map<string, JetStreamBrokerStore>();
  const claims = new ClaimBucket(conn);
  let closed = false;
  const compactor = new JetStreamCompactor(
    conn,
    { retentionMs: conn.options.maxAgeMs, everyMs: conn.options.compactEveryMs },
    () =>
      [...brokers.values()].map((store) => ({
        stream: store.names.stream,
        openingConsumer: () => store.openingConsumer(),
      })),
    onError,
  );
  compactor.start();

  const storeOf = (ref: BrokerRef): JetStreamBrokerStore => {
    const key = brokerKey(ref);
    let store = brokers.get(key);
    if (store === undefined) {
      const copy = { namespace: ref.namespace, name: ref.name };
      store = new JetStreamBrokerStore(copy, conn, claims, new JetStreamHistory(conn, copy, onError));
      brokers.set(key, store);
    }
    return store;
  };
  // One history stream per namespace, created with its first broker; a failure is reported and tried
  // again with the next broker opened, never a reason to refuse the broker.
  const histories = new Map<string, Promise<void>>();
  const ensureHistory = async (namespace: string): Promise<void> => {
    let ready = histories.get(namespace);
    if (ready === undefined) {
      ready = ensureHistoryStream(conn, namespace, historyMaxBytes).catch((error: unknown) => {
        histories.delete(namespace);
        onError(error);
      });
      histories.set(namespace, ready);
    }
    await ready;
  };

  return {
    kind: 'jetstream',
    compactor,
    async broker(ref: BrokerRef): Promise<BrokerStore> {
      if (closed) throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'The jetstream backend is closed.');
      const store = storeOf(ref);
      await store.ensureStream();
      await ensureHistory(ref.namespace);
      return store;
    },
    async dropBroker(ref: BrokerRef): Promise<void> {
      if (closed) throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'The jetstream backend is closed.');
      // The store object stays: handles held by the data plane work again once the broker is reopened.
      await storeOf(ref).drop();
    },
    isReady(): boolean {
      return !closed && conn.isConnected;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await compactor.stop();
      for (const store of brokers.values()) store.close();
      // The hand-backs (-NAK) of held and buffered deliveries must reach the server before the socket goes;
      // while disconnected there is no server to tell (ack_wait hands them out again).
      if (conn.isConnected) await flushWithin(conn, conn.options.timeoutMs);
      await release();
    },
  };
}

async function flushWithin(conn: SharedConnection, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([conn.nc.flush().catch(() => undefined), timeout]);
  clearTimeout(timer);
}
