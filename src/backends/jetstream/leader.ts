/**
 * Waiting for the leader of a replicated stream or consumer. On a NATS cluster each one is served by the
 * leader of its RAFT group only: until one is elected, publishes get no ack, API calls (a KV read) no
 * answer, and a pull request is dropped without a word, so callers learn only when their timeout runs out.
 * A stream or consumer is leaderless right after another process created it: JetStream answers a second,
 * identical `add`, or an info request, at once from the cluster's metadata, while only the creator's call
 * waits for the election. So the stores wait here before the first use of what they opened.
 */
import type { ClusterInfo } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { MeshError } from '../../core/errors.js';

const POLL_MS = 50;
/**
 * How long to wait for an election. A group whose first vote splits, or whose leader died, waits out RAFT's
 * election timeout: 4 s and more after a node was killed on the test cluster, longer on a loaded machine.
 */
export const LEADER_WAIT_MS = 20_000;

/** True when `cluster` (from a stream or consumer info) can serve requests now. */
export function hasLeader(cluster: ClusterInfo | undefined): boolean {
  // A single server reports no cluster; a cluster names the leader once the group elected one.
  return cluster === undefined || (cluster.leader ?? '') !== '';
}

/**
 * Resolves once `read` (a stream or consumer info request, best with a short timeout) reports a leader;
 * rejects with MESH_BACKEND_UNAVAILABLE after `timeoutMs`. A read that times out is read again: during an
 * election JetStream sometimes leaves an info request unanswered. `what` names the stream or consumer.
 */
export async function waitForLeader(
  what: string,
  read: () => Promise<{ readonly cluster?: ClusterInfo }>,
  timeoutMs = LEADER_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await leaderKnown(read))) {
    if (Date.now() >= deadline) {
      throw new MeshError(
        'MESH_BACKEND_UNAVAILABLE',
        `JetStream ${what} has no leader after ${timeoutMs} ms (too few NATS nodes up?)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether a read reports a leader; one that timed out does not. */
async function leaderKnown(read: () => Promise<{ readonly cluster?: ClusterInfo }>): Promise<boolean> {
  try {
    return hasLeader((await read()).cluster);
  } catch (error) {
    if (error instanceof errors.TimeoutError) return false;
    throw error;
  }
}

/**
 * Whether a create that failed was in fact done by another process. JetStream 2.9 sometimes leaves one of
 * two identical creates sent at the same moment (replicas opening a new broker together) without an
 * answer: about 1 in 20 on a 3-node cluster, measured in docs/decisions/jetstream-cluster.md. The caller
 * times out although the stream or consumer exists; `read` (an info request) finds it then.
 */
export async function createdByAnother(error: unknown, read: () => Promise<unknown>): Promise<boolean> {
  if (!(error instanceof errors.TimeoutError)) return false;
  try {
    await read();
    return true;
  } catch {
    return false;
  }
}
