/**
 * The jetstream backend (ARCHITECTURE 2.6, 5): brokers on JetStream streams, resources in a KV bucket,
 * shared by every cemesh replica connected to the same NATS. docs/jetstream.md describes the mapping,
 * guarantees and options.
 */
import type { Backend, ResourceStore } from '../../store/contracts.js';
import { createJetStreamBackend } from './backend.js';
import { SharedConnection } from './connection.js';
import { resolveJetStreamOptions, type JetStreamOptions } from './options.js';
import { JetStreamResourceStore } from './resources.js';

export type { JetStreamOptions, JetStreamTlsOptions } from './options.js';
export { corruptMessageChannel } from './puller.js';

/**
 * Connects to NATS and opens the backend and the resource store on one connection, which closes when
 * both are closed. Rejects with MESH_BACKEND_UNAVAILABLE when NATS or JetStream cannot be reached.
 */
export async function openJetStream(
  options: JetStreamOptions,
): Promise<{ backend: Backend; resources: ResourceStore }> {
  const conn = await SharedConnection.open(resolveJetStreamOptions(options));
  const backend = createJetStreamBackend(conn, options.onError, options.historyMaxBytes);
  try {
    const resources = await JetStreamResourceStore.open(conn);
    return { backend, resources };
  } catch (error) {
    await backend.close();
    throw error;
  }
}
