/**
 * Replay: reads every event retained since a time (the first copies, one per appended event) through a
 * short-lived ephemeral consumer starting at that time, and republishes those that match as copies for
 * the queue. The read stops at the stream's last message when replay began, so a busy broker cannot keep
 * it going.
 */
import { AckPolicy, DeliverPolicy, ReplayPolicy } from '@nats-io/jetstream';
import { headers, nanos, type MsgHdrs } from '@nats-io/transport-node';
import type { CloudEvent } from '../../core/cloudevents/model.js';
import type { QueueId } from '../../store/contracts.js';
import { decodeEvent } from './codec.js';
import type { SharedConnection } from './connection.js';
import type { BrokerNames } from './names.js';
import { APPENDED_AT_HEADER } from './puller.js';

const FETCH_BATCH = 256;
const FETCH_EXPIRES_MS = 1_000;
/** An abandoned replay consumer (this process died mid-replay) is removed by the server after this. */
const EPHEMERAL_INACTIVE_MS = 30_000;

export async function replayInto(
  conn: SharedConnection,
  names: BrokerNames,
  queue: QueueId,
  since: Date,
  match: (event: CloudEvent) => boolean,
): Promise<number> {
  const { jsm, js } = conn;
  const last = (await jsm.streams.info(names.stream)).state.last_seq;
  if (last === 0) return 0;
  const created = await jsm.consumers.add(names.stream, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: since.toISOString(),
    filter_subject: names.firstCopies,
    replay_policy: ReplayPolicy.Instant,
    inactive_threshold: nanos(EPHEMERAL_INACTIVE_MS),
    mem_storage: true,
  });
  const publishes: Promise<unknown>[] = [];
  try {
    if (created.num_pending === 0) return 0;
    const consumer = await js.consumers.get(names.stream, created.name);
    let done = false;
    while (!done) {
      let received = 0;
      const messages = await consumer.fetch({ max_messages: FETCH_BATCH, expires: FETCH_EXPIRES_MS });
      for await (const m of messages) {
        received++;
        if (m.seq > last) {
          done = true;
          break;
        }
        const event = decodeEvent(m.data);
        if (match(event)) {
          const h: MsgHdrs = headers();
          h.set(APPENDED_AT_HEADER, String(Math.floor(m.info.timestampNanos / 1e6)));
          const published = js.publish(names.copy(queue), m.data, { headers: h });
          published.catch(() => undefined); // reported by Promise.all below, not as unhandled meanwhile
          publishes.push(published);
        }
        if (m.seq >= last || m.info.pending === 0) {
          done = true;
          break;
        }
      }
      if (received === 0) done = true;
    }
    await Promise.all(publishes);
    return publishes.length;
  } finally {
    await Promise.allSettled(publishes);
    await jsm.consumers.delete(names.stream, created.name).catch(() => undefined);
  }
}
