// What every fault case shares (issue 14 item 7): sending events through the public ingress while counting
// what was acknowledged (202) and refused, a subscriber that records which events it answered with a 2xx,
// and the accounting of acknowledged, delivered, dead-lettered, lost and duplicated events, with lost = 0
// asserted. The figures are printed as diagnostics and recorded in docs/faults.md.
import assert from 'node:assert/strict';
import { Pool } from 'undici';
import { startSubscriber, type Answer, type Subscriber } from '../support/subscriber.js';

export interface Tally {
  acknowledged: Set<string>;
  refused: number;
  /** How often each refusal status was answered (`error` for no answer). */
  statuses: Map<string, number>;
}

export interface SendOptions {
  /** Concurrent senders (default 8). */
  readonly senders?: number;
  /** `/{namespace}/{broker}` (default `/default/default`). */
  readonly path?: string;
  /** Prefix of the event ids (default `e`). */
  readonly prefix?: string;
  /** Pause between one sender's requests, in ms (default 0). */
  readonly pauseMs?: number;
  /** Go on after a request got no answer (the server died: a sender keeps trying until `count`). */
  readonly continueOnError?: boolean;
}

export async function send(
  ingressUrl: string,
  count: number,
  body: (i: number) => string,
  options: SendOptions = {},
): Promise<Tally> {
  const senders = options.senders ?? 8;
  const prefix = options.prefix ?? 'e';
  const tally: Tally = { acknowledged: new Set(), refused: 0, statuses: new Map() };
  const refuse = (why: string): void => {
    tally.refused++;
    tally.statuses.set(why, (tally.statuses.get(why) ?? 0) + 1);
  };
  const pool = new Pool(ingressUrl, { connections: senders });
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let i = next++; i < count; i = next++) {
        if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
        try {
          const res = await pool.request({
            path: options.path ?? '/default/default',
            method: 'POST',
            headers: {
              'ce-specversion': '1.0',
              'ce-id': `${prefix}${i}`,
              'ce-source': '/faults',
              'ce-type': 'fault',
            },
            body: body(i),
          });
          await res.body.dump();
          if (res.statusCode === 202) tally.acknowledged.add(`${prefix}${i}`);
          else {
            refuse(String(res.statusCode));
            if (res.statusCode === 503 || res.statusCode === 507)
              assert.ok(res.headers['retry-after'], `a ${res.statusCode} carries Retry-After`);
          }
        } catch {
          refuse('error');
          if (!options.continueOnError) return;
        }
      }
    }),
  );
  await pool.destroy();
  return tally;
}

/** A subscriber that records which events it answered with a 2xx (a delivery), and how often. */
export async function recordingSubscriber(
  answer: (n: number) => Answer,
): Promise<Subscriber & { ok: string[] }> {
  const ok: string[] = [];
  const subscriber = await startSubscriber((n, received) => {
    const reply = answer(n);
    if (reply.status < 300 && !(reply.delayMs && reply.delayMs > 1000))
      ok.push(String(received.headers['ce-id']));
    return reply;
  });
  return Object.assign(subscriber, { ok });
}

export interface Counts {
  readonly acknowledged: number;
  readonly refused: number;
  readonly delivered: number;
  readonly deadLettered: number;
  readonly lost: number;
  readonly duplicated: number;
}

/**
 * Waits until every acknowledged event reached the subscriber or the sink (or `timeoutMs` passed), then
 * counts, prints the figures and asserts lost = 0. `excused` are acknowledged events the case defines as
 * gone on purpose (a broker deleted with them); they are reported, not counted as lost.
 */
export async function account(
  t: { diagnostic(message: string): void },
  name: string,
  tally: Tally,
  subscriber: { ok: string[] },
  sink?: { ok: string[] },
  timeoutMs = 20_000,
  excused: ReadonlySet<string> = new Set(),
): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  // One set of what arrived per poll: building it once per acknowledged id made each poll quadratic, and
  // with thousands of events the test's own polling took a core from the server it waits for.
  const waiting = (): boolean => {
    const reached = new Set([...subscriber.ok, ...(sink?.ok ?? [])]);
    for (const id of tally.acknowledged) if (!excused.has(id) && !reached.has(id)) return true;
    return false;
  };
  while (waiting() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const delivered = new Set(subscriber.ok);
  const deadLettered = new Set(sink?.ok ?? []);
  const missing = [...tally.acknowledged].filter((id) => !delivered.has(id) && !deadLettered.has(id));
  const lost = missing.filter((id) => !excused.has(id));
  const counts: Counts = {
    acknowledged: tally.acknowledged.size,
    refused: tally.refused,
    delivered: delivered.size,
    deadLettered: deadLettered.size,
    lost: lost.length,
    duplicated: subscriber.ok.length - delivered.size + (sink?.ok.length ?? 0) - deadLettered.size,
  };
  const refusals = [...tally.statuses].map(([status, n]) => `${status}x${n}`).join(' ');
  t.diagnostic(
    `${name}: acknowledged ${counts.acknowledged}, refused ${counts.refused}${refusals ? ` (${refusals})` : ''}, ` +
      `delivered ${counts.delivered}, dead-lettered ${counts.deadLettered}, lost ${counts.lost}, ` +
      `duplicated ${counts.duplicated}` +
      (excused.size > 0 ? `, dropped with the broker ${missing.length - lost.length}` : ''),
  );
  assert.deepEqual(lost, [], `${name}: ${lost.length} acknowledged events lost`);
  return counts;
}
