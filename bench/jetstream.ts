// JetStream throughput: the raw client (pipelined publishes, a pull consumer acking each message) as the
// baseline, against the jetstream backend's append + lease + ack on the same server, in the same run, with
// the same events, producers and batch sizes. Prints events/s per phase and the backend/raw ratio.
// Standalone: node --import tsx bench/jetstream.ts [events]   |   ... bench/jetstream.ts --layout (subject layouts)
import { pathToFileURL } from 'node:url';
import { AckPolicy, jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import { openJetStream } from '../src/backends/jetstream/index.js';
import { encodeEvent } from '../src/backends/jetstream/codec.js';
import type { CloudEvent } from '../src/core/cloudevents/model.js';
import type { Lease } from '../src/store/contracts.js';
import { natsServerBinary, startNatsServer, type NatsServer } from '../test/support/nats.js';

export interface JetStreamBenchOptions {
  /** NATS URL(s) to measure against; default: a nats-server started (and stopped) here. */
  readonly servers?: readonly string[];
  readonly events?: number;
  /** Concurrent producers, each appending batches of `batch` events. */
  readonly producers?: number;
  readonly batch?: number;
  /** Deliveries held (leased, not yet acked) at once by the consumer side. */
  readonly inflight?: number;
}

export interface JetStreamBenchRow {
  readonly mode: string;
  readonly events: number;
  readonly publishPerSec: number;
  readonly consumePerSec: number;
  /** events / (publish time + consume time). */
  readonly totalPerSec: number;
}

export interface JetStreamBenchResult {
  readonly rows: readonly [JetStreamBenchRow, JetStreamBenchRow];
  /** Backend events/s divided by raw events/s, per phase. */
  readonly ratio: { readonly publish: number; readonly consume: number; readonly total: number };
}

const payload = new Uint8Array(1024).fill(120);

function event(i: number): CloudEvent {
  return {
    attributes: {
      specversion: '1.0',
      id: `e-${i}`,
      source: '/bench',
      type: 'dev.cemesh.bench',
      datacontenttype: 'application/octet-stream',
    },
    data: payload,
  };
}

/** Runs `producers` loops, each taking the next batch of indexes until `events` are done. */
async function produce(
  events: number,
  producers: number,
  batch: number,
  send: (from: number, to: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (next < events) {
        const from = next;
        next = Math.min(events, next + batch);
        await send(from, next);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

const ROUNDS = 2;

/** The best of several rounds, phase by phase. */
function best(rows: readonly JetStreamBenchRow[]): JetStreamBenchRow {
  const first = rows[0]!;
  const publishPerSec = Math.max(...rows.map((r) => r.publishPerSec));
  const consumePerSec = Math.max(...rows.map((r) => r.consumePerSec));
  return {
    mode: first.mode,
    events: first.events,
    publishPerSec,
    consumePerSec,
    totalPerSec: 1 / (1 / publishPerSec + 1 / consumePerSec),
  };
}

function row(mode: string, events: number, publishS: number, consumeS: number): JetStreamBenchRow {
  return {
    mode,
    events,
    publishPerSec: events / publishS,
    consumePerSec: events / consumeS,
    totalPerSec: events / (publishS + consumeS),
  };
}

async function rawRun(
  url: readonly string[],
  events: number,
  producers: number,
  batch: number,
  inflight: number,
) {
  const nc = await connect({ servers: [...url] });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await jsm.streams.add({ name: 'BENCH_RAW', subjects: ['benchraw.>'] });
    await jsm.consumers.add('BENCH_RAW', {
      durable_name: 'raw',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: 'benchraw.*.q',
    });
    // The same bytes the backend stores, so both sides move the same amount of data.
    const payloads = Array.from({ length: events }, (_, i) => encodeEvent(event(i)));
    const publishS = await produce(events, producers, batch, (from, to) =>
      Promise.all(payloads.slice(from, to).map((p) => js.publish('benchraw.e.q', p))),
    );
    const consumer = await js.consumers.get('BENCH_RAW', 'raw');
    const started = performance.now();
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      consumer
        .consume({
          max_messages: inflight,
          callback: (m) => {
            m.ack();
            if (++received === events) resolve();
          },
        })
        .catch(reject);
    });
    await nc.flush();
    const consumeS = (performance.now() - started) / 1000;
    await jsm.streams.delete('BENCH_RAW');
    return row('raw JetStream client', events, publishS, consumeS);
  } finally {
    await nc.close();
  }
}

async function backendRun(
  url: readonly string[],
  events: number,
  producers: number,
  batch: number,
  inflight: number,
) {
  const prefix = `bench${process.pid}`;
  const { backend, resources } = await openJetStream({ servers: url, prefix });
  try {
    const ref = { namespace: 'bench', name: 'default' };
    const broker = await backend.broker(ref);
    const all = Array.from({ length: events }, (_, i) => ({ event: event(i), queues: ['q'] }));
    // The queue's consumer exists while events come in, as the raw run's does (and as in a running mesh).
    await broker.queue('q').lease({ max: 1, leaseMs: 30_000, signal: AbortSignal.timeout(50) });
    const publishS = await produce(events, producers, batch, (from, to) =>
      broker.append(all.slice(from, to)),
    );
    // Like the data plane's dispatcher: lease as many as there are free slots, settle each on its own.
    const queue = broker.queue('q');
    const signal = new AbortController().signal;
    const started = performance.now();
    let acked = 0;
    let held = 0;
    let slotFreed: (() => void) | undefined;
    const settle = (lease: Lease): void => {
      held++;
      void lease.ack().then(() => {
        acked++;
        held--;
        slotFreed?.();
      });
    };
    while (acked + held < events) {
      if (held >= inflight) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        continue;
      }
      const leases = await queue.lease({
        max: Math.min(inflight - held, events - acked - held),
        leaseMs: 30_000,
        signal,
      });
      for (const lease of leases) settle(lease);
    }
    while (acked < events) await new Promise<void>((resolve) => (slotFreed = resolve));
    const consumeS = (performance.now() - started) / 1000;
    await backend.dropBroker(ref);
    return row('cemesh jetstream backend', events, publishS, consumeS);
  } finally {
    await backend.close();
    await resources.close();
  }
}

export async function runJetStreamBench(options: JetStreamBenchOptions = {}): Promise<JetStreamBenchResult> {
  const events = options.events ?? 20_000;
  const producers = options.producers ?? 8;
  const batch = options.batch ?? 50;
  const inflight = options.inflight ?? 500;
  let server: NatsServer | undefined;
  if (options.servers === undefined) {
    if (natsServerBinary() === undefined)
      throw new Error('nats-server is not installed (apt-get install nats-server)');
    server = await startNatsServer();
  }
  const servers = options.servers ?? [server!.url];
  try {
    // Warm-up (JIT, connections, server file stores), then rounds in alternating order; each side's
    // best round counts, which filters out noise from whatever else the machine is doing.
    await rawRun(servers, 2_000, producers, batch, inflight);
    await backendRun(servers, 2_000, producers, batch, inflight);
    const raws: JetStreamBenchRow[] = [];
    const cemeshes: JetStreamBenchRow[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) raws.push(await rawRun(servers, events, producers, batch, inflight));
      cemeshes.push(await backendRun(servers, events, producers, batch, inflight));
      if (round % 2 === 1) raws.push(await rawRun(servers, events, producers, batch, inflight));
    }
    const raw = best(raws);
    const cemesh = best(cemeshes);
    return {
      rows: [raw, cemesh],
      ratio: {
        publish: cemesh.publishPerSec / raw.publishPerSec,
        consume: cemesh.consumePerSec / raw.consumePerSec,
        total: cemesh.totalPerSec / raw.totalPerSec,
      },
    };
  } finally {
    await server?.dispose();
  }
}

export interface LayoutBenchRow {
  readonly layout: 'subject per queue' | 'header lists queues';
  readonly routing: 'selective' | 'fan-out';
  readonly events: number;
  readonly queues: number;
  /** Messages stored and bytes they take in the stream. */
  readonly stored: number;
  readonly storedBytes: number;
  /** Messages the consumers were handed (each one acked). */
  readonly delivered: number;
  readonly publishPerSec: number;
  /** Events per second until every queue had all its deliveries. */
  readonly consumePerSec: number;
}

/**
 * The measurement behind docs/decisions/jetstream-subjects.md: routing on write with one message per
 * queue on the queue's subject, against one message per event with a header naming its queues and every
 * consumer reading the whole broker (and acking what is not its own). `selective`: each event matches one
 * of the queues (type routing); `fan-out`: each event matches all of them.
 */
export async function runSubjectLayoutBench(
  options: { servers?: readonly string[]; events?: number; queues?: number } = {},
): Promise<LayoutBenchRow[]> {
  const events = options.events ?? 5_000;
  const queues = options.queues ?? 10;
  const server = options.servers === undefined ? await startNatsServer() : undefined;
  const nc = await connect({ servers: [...(options.servers ?? [server!.url])] });
  const rows: LayoutBenchRow[] = [];
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const payload = encodeEvent(event(0));
    for (const routing of ['selective', 'fan-out'] as const) {
      for (const layout of ['subject per queue', 'header lists queues'] as const) {
        const stream = `LAYOUT_${rows.length}`;
        await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
        const perQueue = layout === 'subject per queue';
        const names = Array.from({ length: queues }, (_, q) => `q${q}`);
        for (const name of names) {
          await jsm.consumers.add(stream, {
            durable_name: name,
            ack_policy: AckPolicy.Explicit,
            filter_subject: perQueue ? `${stream}.*.${name}` : `${stream}.ev`,
          });
        }
        const matched = (i: number): string[] => (routing === 'fan-out' ? names : [names[i % queues]!]);
        const publishS = await produce(events, 8, 50, (from, to) => {
          const sends: Promise<unknown>[] = [];
          for (let i = from; i < to; i++) {
            const [first, ...others] = matched(i);
            if (perQueue) {
              sends.push(js.publish(`${stream}.e.${first}`, payload));
              for (const q of others) sends.push(js.publish(`${stream}.c.${q}`, payload));
            } else {
              const h = headers();
              h.set('Cemesh-Queues', matched(i).join(','));
              sends.push(js.publish(`${stream}.ev`, payload, { headers: h }));
            }
          }
          return Promise.all(sends);
        });
        const expected = routing === 'fan-out' ? events : events / queues;
        let delivered = 0;
        const started = performance.now();
        await Promise.all(
          names.map(async (name) => {
            const consumer = await js.consumers.get(stream, name);
            let mine = 0;
            await new Promise<void>((resolve, reject) => {
              consumer
                .consume({
                  max_messages: 500,
                  callback: (m) => {
                    delivered++;
                    m.ack();
                    const own = perQueue || (m.headers?.get('Cemesh-Queues') ?? '').split(',').includes(name);
                    if (own && ++mine === expected) resolve();
                  },
                })
                .catch(reject);
            });
          }),
        );
        const consumeS = (performance.now() - started) / 1000;
        const state = (await jsm.streams.info(stream)).state;
        rows.push({
          layout,
          routing,
          events,
          queues,
          stored: state.messages,
          storedBytes: state.bytes,
          delivered,
          publishPerSec: events / publishS,
          consumePerSec: events / consumeS,
        });
        await jsm.streams.delete(stream);
      }
    }
    return rows;
  } finally {
    await nc.close();
    await server?.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--layout')) {
    console.table(await runSubjectLayoutBench());
  } else {
    await printJetStreamBench(Number(process.argv[2] ?? 20_000));
  }
}

async function printJetStreamBench(events: number): Promise<void> {
  const result = await runJetStreamBench({ events });
  const fmt = (n: number): string => String(Math.round(n)).padStart(8);
  console.log('mode                        events  publish/s  consume/s    total/s');
  for (const r of result.rows) {
    console.log(
      `${r.mode.padEnd(26)} ${String(r.events).padStart(7)}  ${fmt(r.publishPerSec)}   ${fmt(r.consumePerSec)}   ${fmt(r.totalPerSec)}`,
    );
  }
  const pct = (n: number): string => `${(n * 100).toFixed(0)}%`;
  console.log(
    `backend / raw: publish ${pct(result.ratio.publish)}, consume ${pct(result.ratio.consume)}, total ${pct(result.ratio.total)}`,
  );
}
