/**
 * The jetstream Backend (ARCHITECTURE 2.6, 5): brokers are streams, queues are durable pull consumers,
 * and any number of cemesh processes may open the same brokers at once and share their deliveries.
 */
import { MeshError } from '../../core/errors.js';
import type { Backend, BrokerOptions, BrokerRef, BrokerStore } from '../../store/contracts.js';
import { JetStreamBrokerStore } from './broker-store.js';
import { ClaimBucket } from './claim.js';
import { JetStreamCompactor } from './compaction.js';
import type { SharedConnection } from './connection.js';
import { DEFAULT_HISTORY_MAX_BYTES, ensureHistoryStream, JetStreamHistory } from './history.js';
import { MAX_SHARDS } from './names.js';

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
      [...brokers.values()].flatMap((store) =>
        store.streams().map((stream) => ({ stream, openingConsumer: () => store.openingConsumer() })),
      ),
    onError,
  );
  compactor.start();

  /**
   * The broker's store; a new one when the broker was created again with another number of shards (the
   * count is fixed for the life of a broker, docs/decisions/sharded-brokers.md). Without `shards`, the
   * store already open, else one stream.
   */
  const storeOf = (ref: BrokerRef, shards?: number): JetStreamBrokerStore => {
    const key = brokerKey(ref);
    let store = brokers.get(key);
    if (store === undefined || (shards !== undefined && store.shards !== shards)) {
      store?.close();
      const copy = { namespace: ref.namespace, name: ref.name };
      const history = new JetStreamHistory(conn, copy, onError);
      store = new JetStreamBrokerStore(copy, conn, claims, history, shards ?? 1);
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
    async broker(ref: BrokerRef, options: BrokerOptions = {}): Promise<BrokerStore> {
      if (closed) throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'The jetstream backend is closed.');
      const shards = options.shards ?? 1;
      if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
        throw new MeshError('MESH_REQUEST_INVALID', `shards must be a whole number from 1 to ${MAX_SHARDS}`);
      }
      const store = storeOf(ref, shards);
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
  conn.outbox.flush();
  await Promise.race([conn.nc.flush().catch(() => undefined), timeout]);
  clearTimeout(timer);
}
