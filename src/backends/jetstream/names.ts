/**
 * How cemesh names its JetStream objects. Broker refs and queue ids are free text to the store (a queue id
 * is a trigger uid or `<uid>/dls`), while NATS names and subject tokens may not hold `.`, `*`, `>`,
 * whitespace or path separators; so each becomes a readable, sanitized part plus a hash of the exact text,
 * which keeps two different ids from ever sharing a name.
 *
 * Layout (docs/decisions/jetstream-subjects.md):
 *   stream            <prefix>_<broker>                     one per broker, subjects <prefix>.<broker>.>
 *   first copy        <prefix>.<broker>.e.<queue>           the event, for its first queue (or `_`: none)
 *   other copies      <prefix>.<broker>.c.<queue>           the same event for each further queue; replays
 *   queue consumer    durable <queue>, filter <prefix>.<broker>.*.<queue>
 *   drop marker       <prefix>.<broker>.ctl.dropped.<queue> where a recreated consumer of that queue starts
 *   shard i > 0       the same layout with <broker>_s<i> for <broker> (docs/decisions/sharded-brokers.md);
 *                     shard 0 is the broker's one stream of before shards existed
 *   resources         KV bucket <prefix>-resources
 */
import { hash as digest } from 'node:crypto';
import type { BrokerRef, QueueId, ResourceKey } from '../../store/contracts.js';

/** The prefix must work as a subject token, in a stream name and in a KV bucket name. */
export const PREFIX_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** The token of the first copy of an event that no queue gets (kept for replay only). */
export const NO_QUEUE_TOKEN = '_';

const READABLE_LENGTH = 40;
const TOKEN_CACHE_SIZE = 10_000;

/**
 * The first 12 hex digits of the text's SHA-256. Names already in use depend on it, so it never changes. The
 * one-shot form: an event's history subject hashes its id, and a Hash object per call cost 0.8 against 0.3 us.
 */
function hash(text: string): string {
  return digest('sha256', text, 'hex').slice(0, 12);
}

/** A name-safe token for `text`: its readable part, then a hash of the exact text. */
export function safeToken(text: string): string {
  const readable = text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, READABLE_LENGTH);
  return `${readable}-${hash(text)}`;
}

export interface BrokerNames {
  readonly stream: string;
  /** Every subject of the broker's stream. */
  readonly allSubjects: string;
  /** Subject of the first copy of an event, for its first queue (or none). */
  firstCopy(queue: QueueId | undefined): string;
  /** Subject of a further copy of an event for `queue` (other queues of the batch item, replays). */
  copy(queue: QueueId): string;
  /** Every first copy: each appended event exactly once (what replay reads). */
  readonly firstCopies: string;
  /** The one filter subject of a queue's consumer: both copy kinds of that queue. */
  queueFilter(queue: QueueId): string;
  /** Durable consumer name of a queue. */
  consumer(queue: QueueId): string;
  /** Subject of the marker that says where a dropped queue's next consumer starts. */
  dropMarker(queue: QueueId): string;
}

/** Most streams (shards) one broker may be spread over. */
export const MAX_SHARDS = 16;

/**
 * The names of one of a broker's streams. A broker token ends with a hex hash, so `<broker>_s<i>` never
 * equals another broker's token, and its subjects never overlap those of shard 0 (`<broker>.>`).
 */
export function brokerNames(prefix: string, ref: BrokerRef, shard = 0): BrokerNames {
  const token = safeToken(`${ref.namespace}/${ref.name}`);
  const broker = shard === 0 ? token : `${token}_s${shard}`;
  const base = `${prefix}.${broker}`;
  // Every append names its queues: hash each id once, not once per event.
  const tokens = new Map<QueueId, string>();
  const queueToken = (queue: QueueId): string => {
    let found = tokens.get(queue);
    if (found === undefined) {
      if (tokens.size >= TOKEN_CACHE_SIZE) tokens.clear();
      tokens.set(queue, (found = safeToken(queue)));
    }
    return found;
  };
  return {
    stream: `${prefix}_${broker}`,
    allSubjects: `${base}.>`,
    firstCopy: (queue) => `${base}.e.${queue === undefined ? NO_QUEUE_TOKEN : queueToken(queue)}`,
    copy: (queue) => `${base}.c.${queueToken(queue)}`,
    firstCopies: `${base}.e.*`,
    queueFilter: (queue) => `${base}.*.${queueToken(queue)}`,
    consumer: queueToken,
    dropMarker: (queue) => `${base}.ctl.dropped.${queueToken(queue)}`,
  };
}

export function resourceBucket(prefix: string): string {
  return `${prefix}-resources`;
}

/** The stream that holds the resources bucket: `KV_<bucket>`, as the KV protocol names it (NATS ADR-8). */
export function resourceBucketStream(prefix: string): string {
  return `KV_${resourceBucket(prefix)}`;
}

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/**
 * One KV key token: a kind or DNS-style name as is (readable in `nats kv ls`), anything else as `=` +
 * base64url, which never looks plain (plain tokens hold no `=`), so two different texts never share a token.
 */
function keyToken(text: string): string {
  return PLAIN.test(text) ? text : `=${Buffer.from(text, 'utf8').toString('base64url')}`;
}

/** The KV key of a resource: kind, namespace (`_` when cluster-scoped), name. */
export function resourceKey(key: ResourceKey): string {
  const namespace = key.namespace === undefined || key.namespace === '' ? '_' : keyToken(key.namespace);
  return `${keyToken(key.kind)}.${namespace}.${keyToken(key.name)}`;
}
