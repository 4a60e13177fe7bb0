/**
 * Waiting for a replicated stream's leader. On a NATS cluster a stream with several replicas is served by
 * the leader of its RAFT group only: until one is elected, publishes get no ack and API calls (a KV read,
 * a consumer lookup) no answer, so they fail only when their timeout runs out. A stream can be leaderless
 * right after another process created it: JetStream answers a second, identical `streams.add` (or a KV
 * bucket's stream info) at once from the cluster's metadata, while only the first caller waits for the
 * election. So a store waits here before its first use of a stream it opened.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import { MeshError } from '../../core/errors.js';

const POLL_MS = 50;

/** Resolves once `stream` has a leader (at once on a single server); rejects after `timeoutMs`. */
export async function waitForStreamLeader(
  jsm: JetStreamManager,
  stream: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A single server reports no cluster; a cluster names the leader once the group elected one.
    const { cluster } = await jsm.streams.info(stream);
    if (cluster === undefined || (cluster.leader ?? '') !== '') return;
    if (Date.now() >= deadline) {
      throw new MeshError(
        'MESH_BACKEND_UNAVAILABLE',
        `JetStream stream ${stream} has no leader after ${timeoutMs} ms (too few NATS nodes up?)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
