/**
 * Waiting for the leader of a replicated stream or consumer. On a NATS cluster each one is served by the
 * leader of its RAFT group only: until one is elected, publishes get no ack, API calls (a KV read) no
 * answer, and a pull request is dropped without a word, so callers learn only when their timeout runs out.
 * A stream or consumer is leaderless right after another process created it: JetStream answers a second,
 * identical `add`, or an info request, at once from the cluster's metadata, while only the creator's call
 * waits for the election. So the stores wait here before the first use of what they opened.
 */
import type { ClusterInfo } from '@nats-io/jetstream';
import { MeshError } from '../../core/errors.js';

const POLL_MS = 50;

/** True when `cluster` (from a stream or consumer info) can serve requests now. */
export function hasLeader(cluster: ClusterInfo | undefined): boolean {
  // A single server reports no cluster; a cluster names the leader once the group elected one.
  return cluster === undefined || (cluster.leader ?? '') !== '';
}

/**
 * Resolves once `read` (a stream or consumer info request) reports a leader; rejects with
 * MESH_BACKEND_UNAVAILABLE after `timeoutMs`. `what` names the stream or consumer for the message.
 */
export async function waitForLeader(
  what: string,
  read: () => Promise<{ readonly cluster?: ClusterInfo }>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!hasLeader((await read()).cluster)) {
    if (Date.now() >= deadline) {
      throw new MeshError(
        'MESH_BACKEND_UNAVAILABLE',
        `JetStream ${what} has no leader after ${timeoutMs} ms (too few NATS nodes up?)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
