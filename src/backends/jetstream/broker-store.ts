/**
 * One broker on JetStream: a file-backed stream (limits retention, discard new), one durable pull consumer
 * per queue, routing on write (ARCHITECTURE 6): `append` publishes each event once per queue that must get
 * it, on that queue's subject, so a consumer reads only its own deliveries and the server skips all others
 * (docs/decisions/jetstream-subjects.md).
 *
 * A sharded broker is several such streams (docs/decisions/sharded-brokers.md): each event goes to one, by
 * a hash of its partition key (round-robin without one), and each queue is one consumer per stream,
 * merged into one DeliveryQueue whose parts the ordering layer keeps in order one by one.
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { StreamConfig } from '@nats-io/jetstream';
import { Empty, nanos } from '@nats-io/transport-node';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import { MeshError } from '../../core/errors.js';
import { checkAppendBatch } from '../../store/append-check.js';
import { MergedQueue } from '../../store/merged-queue.js';
import type {
  AppendItem,
  BrokerRef,
  BrokerStore,
  DeliveryQueue,
  LeaseOptions,
  QueueBacklog,
  QueueClaim,
  QueueId,
} from '../../store/contracts.js';
import { BacklogSampler } from './backlog.js';
import type { ClaimBucket } from './claim.js';
import { encodeEvent } from './codec.js';
import type { SharedConnection } from './connection.js';
import {
  API_CONSUMER_EXISTS,
  API_CONSUMER_NAME_IN_USE,
  API_CONSUMER_NOT_FOUND,
  API_STREAM_NAME_IN_USE,
  API_STREAM_NOT_FOUND,
  hasApiCode,
  toMeshError,
} from './errors.js';
import { brokerNames, MAX_SHARDS, type BrokerNames } from './names.js';
import { ShardPicker } from './shard.js';
import type { StoredAck } from './outbox.js';
import type { JetStreamHistory } from './history.js';
import { APPENDED_AT_HEADER, QueuePuller } from './puller.js';
import { replayInto } from './replay.js';
import { createdByAnother, hasLeader, waitForLeader } from './leader.js';

/** Outstanding deliveries (leased or nak'ed, not yet settled) per consumer before the server holds back. */
const MAX_ACK_PENDING = 10_000;
/** Room for the subject and headers on top of the payload, against the server's max_payload. */
const MESSAGE_OVERHEAD = 512;
/** JetStream's default duplicate window. */
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

interface Outgoing {
  readonly shard: number;
  readonly subject: string;
  readonly payload: Uint8Array;
}

/** The CloudEvents Partitioning extension, the key of per-key order and of shard placement. */
const PARTITION_KEY = 'partitionkey';

export class JetStreamBrokerStore implements BrokerStore {
  /** The names of shard 0, the broker's only stream unless it is sharded. */
  readonly names: BrokerNames;
  /** The names of each of the broker's streams, shard 0 first. */
  readonly shardNames: readonly BrokerNames[];
  private readonly picker: ShardPicker;
  /** Keyed by `<shard>/<queue id>`. */
  private readonly pullers = new Map<string, QueuePuller>();
  private readonly backlogs = new BacklogSampler((part) => this.sampleBacklog(part));
  private streamReady: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly ref: BrokerRef,
    private readonly conn: SharedConnection,
    private readonly claims: ClaimBucket,
    /** The broker's delivery history (in its namespace's history stream). */
    readonly history: JetStreamHistory,
    /** Streams the broker is spread over, 1 to MAX_SHARDS. */
    readonly shards: number = 1,
  ) {
    this.shardNames = Array.from({ length: shards }, (_, i) => brokerNames(conn.options.prefix, ref, i));
    this.names = this.shardNames[0] as BrokerNames;
    this.picker = new ShardPicker(shards);
  }

  /** Creates the broker's streams, or brings existing ones' limits up to date. */
  ensureStream(): Promise<void> {
    this.streamReady ??= this.createStream().catch((error: unknown) => {
      this.streamReady = undefined;
      throw toMeshError(error, `opening broker ${this.ref.namespace}/${this.ref.name}`);
    });
    return this.streamReady;
  }

  async append(batch: readonly AppendItem[]): Promise<void> {
    if (this.closed) throw closedError();
    checkAppendBatch(batch);
    // While reconnecting the client would hold the publishes until they time out; say so at once instead.
    if (!this.conn.isConnected) {
      throw new MeshError('MESH_BACKEND_UNAVAILABLE', 'appending events: not connected to NATS');
    }
    const outgoing = this.messagesOf(batch);
    const { outbox } = this.conn;
    // Pipelined: every publish is sent before any ack is awaited, with those of other requests in the
    // same event-loop turn (outbox.ts); the connection keeps their order.
    const results = await Promise.allSettled(
      outgoing.map((m) => outbox.publish(m.subject, m.payload, this.namesOf(m.shard).stream)),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed === undefined) {
      this.history.accepted(batch.flatMap((item) => (item.history === undefined ? [] : [item.history])));
      return;
    }
    await this.rollBack(outgoing, results);
    throw toMeshError(failed.reason, 'appending events');
  }

  queue(id: QueueId): DeliveryQueue {
    const parts = this.shardNames.map((_, shard) => this.shardQueue(shard, id));
    return parts.length === 1 ? (parts[0] as DeliveryQueue) : new MergedQueue(parts);
  }

  /** The queue's consumer on one of the broker's streams. */
  private shardQueue(shard: number, id: QueueId): DeliveryQueue {
    const part = `${shard}/${id}`;
    return {
      lease: (options: LeaseOptions) =>
        this.closed ? Promise.resolve([]) : this.puller(shard, id).lease(options),
      claim: (signal: AbortSignal) => this.claim(shard, id, signal),
      backlog: () => (this.closed ? undefined : this.backlogs.read(part)),
    };
  }

  private namesOf(shard: number): BrokerNames {
    return this.shardNames[shard] as BrokerNames;
  }

  /**
   * Pending deliveries of a queue on one stream: what its consumer has not handed out yet plus what it
   * handed out and awaits acks for; the oldest is the first of the queue's messages after the ack floor.
   */
  private async sampleBacklog(part: string): Promise<QueueBacklog> {
    const slash = part.indexOf('/');
    const names = this.namesOf(Number(part.slice(0, slash)));
    const id = part.slice(slash + 1);
    const { stream } = names;
    const info = await this.conn.jsm.consumers.info(stream, names.consumer(id));
    const depth = info.num_pending + info.num_ack_pending;
    if (depth === 0) return { depth, oldestAppendedAt: undefined };
    // STREAM.MSG.GET with `seq` and `next_by_subj` (server 2.9+): the first message at or after seq on the
    // subject. The client's type lists only seq and last_by_subj requests.
    const request = { seq: info.ack_floor.stream_seq + 1, next_by_subj: names.queueFilter(id) };
    const oldest = await this.conn.jsm.streams.getMessage(stream, request as unknown as { seq: number });
    const header = Number(oldest?.header.get(APPENDED_AT_HEADER) || NaN);
    const appendedAt = Number.isSafeInteger(header) ? header : oldest?.time.getTime();
    return { depth, oldestAppendedAt: appendedAt };
  }

  private async claim(shard: number, id: QueueId, signal: AbortSignal): Promise<QueueClaim | undefined> {
    if (this.closed) return undefined;
    const names = this.namesOf(shard);
    const { stream } = names;
    const consumer = names.consumer(id);
    const outstanding = async (): Promise<number> => {
      await this.ensureConsumer(shard, id);
      return (await this.conn.jsm.consumers.info(stream, consumer)).num_ack_pending;
    };
    try {
      return await this.claims.claim(`${stream}.${consumer}`, outstanding, signal);
    } catch (error) {
      throw toMeshError(error, 'claiming a delivery queue');
    }
  }

  async dropQueue(id: QueueId): Promise<void> {
    if (this.closed) throw closedError();
    await Promise.all(this.shardNames.map((names, shard) => this.dropShardQueue(names, shard, id)));
  }

  private async dropShardQueue(names: BrokerNames, shard: number, id: QueueId): Promise<void> {
    const { js, jsm } = this.conn;
    try {
      // The marker first: a consumer recreated from now on starts after it, never at the dropped deliveries.
      await js.publish(names.dropMarker(id), Empty, { expect: { streamName: names.stream } });
      await jsm.consumers.delete(names.stream, names.consumer(id)).catch((error: unknown) => {
        if (!hasApiCode(error, API_CONSUMER_NOT_FOUND)) throw error;
      });
    } catch (error) {
      if (!(await this.streamIsGone(names.stream))) throw toMeshError(error, 'dropping a delivery queue');
    }
    this.pullers.get(`${shard}/${id}`)?.reset();
    this.backlogs.forget(`${shard}/${id}`);
  }

  /** Copies matching events of every stream into the queue, each in the stream it was appended to. */
  async replay(id: QueueId, since: Date, match: (event: CloudEvent) => boolean): Promise<number> {
    if (this.closed) throw closedError();
    try {
      const counts = await Promise.all(
        this.shardNames.map((names) => replayInto(this.conn, names, id, since, match)),
      );
      return counts.reduce((a, b) => a + b, 0);
    } catch (error) {
      throw toMeshError(error, 'replaying events');
    }
  }

  /**
   * Deletes the streams with every event and consumer; the store can be opened again (new streams). Every
   * possible shard's stream is deleted, not only this store's count: a broker deleted and created again
   * with fewer shards must not find the events of an earlier one.
   */
  async drop(): Promise<void> {
    const all = Array.from({ length: MAX_SHARDS }, (_, i) =>
      i < this.shards ? this.namesOf(i).stream : brokerNames(this.conn.options.prefix, this.ref, i).stream,
    );
    const results = await Promise.allSettled(all.map((stream) => this.conn.jsm.streams.delete(stream)));
    const failed = results.find(
      (r) => r.status === 'rejected' && !hasApiCode(r.reason, API_STREAM_NOT_FOUND),
    );
    if (failed?.status === 'rejected') throw toMeshError(failed.reason, 'dropping a broker');
    this.streamReady = undefined;
    for (const puller of this.pullers.values()) puller.reset();
  }

  /** The broker's streams, for compaction. */
  streams(): readonly string[] {
    return this.shardNames.map((names) => names.stream);
  }

  /** True while a local queue's consumer is being created. */
  openingConsumer(): boolean {
    for (const puller of this.pullers.values()) if (puller.openingConsumer) return true;
    return false;
  }

  close(): void {
    this.closed = true;
    for (const puller of this.pullers.values()) puller.close();
    this.pullers.clear();
  }

  /** Each event, once per queue, on its shard: every copy of an event goes to the same stream. */
  private messagesOf(batch: readonly AppendItem[]): Outgoing[] {
    const limit = this.conn.maxPayload - MESSAGE_OVERHEAD;
    const outgoing: Outgoing[] = [];
    batch.forEach((item, i) => {
      const payload = encodeEvent(item.event);
      if (payload.length > limit) {
        throw new MeshError(
          'MESH_BODY_TOO_LARGE',
          `event ${i} is ${payload.length} bytes stored, over the NATS server's max_payload (${limit} with headers)`,
        );
      }
      const key = item.event.attributes[PARTITION_KEY];
      const shard = this.picker.pick(key === undefined || key === null ? undefined : String(key));
      const names = this.namesOf(shard);
      const [first, ...others] = item.queues;
      outgoing.push({ shard, subject: names.firstCopy(first), payload });
      for (const queue of others) outgoing.push({ shard, subject: names.copy(queue), payload });
    });
    return outgoing;
  }

  /**
   * JetStream (2.9) has no atomic batch: when part of a batch failed, the stored part is deleted again so
   * the append stays all or nothing as far as the stream can tell. A consumer may have been handed one of
   * those messages in between; the producer, told the append failed, sends again anyway (at least once).
   */
  private async rollBack(
    outgoing: readonly Outgoing[],
    results: readonly PromiseSettledResult<StoredAck>[],
  ): Promise<void> {
    await Promise.allSettled(
      results.flatMap((r, i) =>
        r.status === 'fulfilled'
          ? [
              this.conn.jsm.streams.deleteMessage(
                this.namesOf(outgoing[i]?.shard ?? 0).stream,
                r.value.seq,
                false,
              ),
            ]
          : [],
      ),
    );
  }

  private puller(shard: number, id: QueueId): QueuePuller {
    const part = `${shard}/${id}`;
    let puller = this.pullers.get(part);
    if (puller === undefined) {
      const names = this.namesOf(shard);
      puller = new QueuePuller(this.conn, {
        stream: names.stream,
        consumer: names.consumer(id),
        ensureConsumer: () => this.ensureConsumer(shard, id),
      });
      this.pullers.set(part, puller);
    }
    return puller;
  }

  private async ensureConsumer(shard: number, id: QueueId): Promise<void> {
    const { jsm } = this.conn;
    const names = this.namesOf(shard);
    const { stream } = names;
    const name = names.consumer(id);
    // A pull request sent while the consumer has no leader is dropped without an answer (docs/decisions/
    // jetstream-cluster.md): the consumer is in use only once it has one.
    const ready = (): Promise<void> =>
      waitForLeader(`consumer ${stream}/${name}`, () => this.conn.probe.consumers.info(stream, name));
    try {
      const info = await jsm.consumers.info(stream, name);
      if (!hasLeader(info.cluster)) await ready();
      return;
    } catch (error) {
      if (!hasApiCode(error, API_CONSUMER_NOT_FOUND)) throw error;
    }
    // Every message on the queue's subjects was routed to it, except those before a drop of the queue.
    const marker = await jsm.streams.getMessage(stream, { last_by_subj: names.dropMarker(id) });
    try {
      await jsm.consumers.add(stream, {
        durable_name: name,
        filter_subject: names.queueFilter(id),
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(this.conn.options.ackWaitMs),
        max_deliver: -1,
        max_ack_pending: MAX_ACK_PENDING,
        replay_policy: ReplayPolicy.Instant,
        ...(marker === null
          ? { deliver_policy: DeliverPolicy.All }
          : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: marker.seq + 1 }),
      });
    } catch (error) {
      // Another replica created it first.
      const raced =
        hasApiCode(error, API_CONSUMER_NAME_IN_USE) ||
        hasApiCode(error, API_CONSUMER_EXISTS) ||
        (await createdByAnother(error, () => jsm.consumers.info(stream, name)));
      if (!raced) throw error;
    }
    await ready();
  }

  private async createStream(): Promise<void> {
    await Promise.all(this.shardNames.map((names) => this.createShardStream(names)));
  }

  private async createShardStream(names: BrokerNames): Promise<void> {
    const { options, jsm } = this.conn;
    const config: Partial<StreamConfig> & { name: string } = {
      name: names.stream,
      subjects: [names.allSubjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: options.replicas,
      // No age limit: limits retention would delete undelivered messages by age. Delivered ones are purged
      // by the compactor once every consumer settled them and the replay window passed (compaction.ts).
      max_age: 0,
      max_bytes: options.maxBytesPerStream,
      // Refuse new events when full (507) rather than silently dropping the oldest undelivered ones.
      discard: DiscardPolicy.New,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    };
    try {
      await jsm.streams.add(config);
    } catch (error) {
      if (hasApiCode(error, API_STREAM_NAME_IN_USE)) await jsm.streams.update(config.name, config);
      else if (!(await createdByAnother(error, () => jsm.streams.info(config.name)))) throw error;
    }
    // Another replica may have created it a moment ago: appends before the election would time out.
    await waitForLeader(`stream ${config.name}`, () => this.conn.probe.streams.info(config.name));
  }

  private async streamIsGone(stream: string): Promise<boolean> {
    try {
      await this.conn.jsm.streams.info(stream);
      return false;
    } catch (error) {
      return hasApiCode(error, API_STREAM_NOT_FOUND);
    }
  }
}

function closedError(): MeshError {
  return new MeshError('MESH_BACKEND_UNAVAILABLE', 'The jetstream backend is closed.');
}
