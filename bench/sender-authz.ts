/**
 * What sender authorization costs broker ingress per request (docs/security.md): the ingress logic
 * (`acceptEvents`: headers checked, one binary-mode event decoded, handed to a port that stores nothing)
 * without an authorizer, as the baseline, against the same with the server's SenderAuthorization on the
 * default path (no EventPolicy, allow-all, no Application), with a registered Application (every event's
 * source looked up), and with a broker an EventPolicy selects (a sender token hashed and matched). Same
 * process, same run, interleaved rounds, best of each: the ratios are what counts.
 *
 *   node --import tsx bench/sender-authz.ts
 */
import { acceptEvents, type IngressLogic } from '../src/dataplane/ingress/accept.js';
import type { IngressPort } from '../src/dataplane/ingress/port.js';
import { InternalIdentities } from '../src/dataplane/authz/internal.js';
import { SenderAuthorization } from '../src/dataplane/authz/senders.js';
import { hashSenderToken } from '../src/core/authz/credential.js';

const port: IngressPort = {
  accepting: (namespace, name) => ({ namespace, name }),
  ingest: () => Promise.resolve(),
};
const TOKEN = 'x'.repeat(43);
const headers = {
  'ce-specversion': '1.0',
  'ce-id': '1',
  'ce-source': '/orders',
  'ce-type': 'order.created',
  'content-type': 'application/json',
  authorization: `Bearer ${TOKEN}`,
};
const rawHeaders = Object.entries(headers).flat();
const body = new TextEncoder().encode('{"order":42}');

function authorization(setup: (a: SenderAuthorization) => void): SenderAuthorization {
  const a = new SenderAuthorization(new InternalIdentities('bench-admin-token-that-is-long-enough'));
  setup(a);
  return a;
}

const variants: [string, IngressLogic][] = [
  ['no authorizer (baseline)', { port }],
  ['allow-all, no policy (default path)', { port, authorizer: authorization(() => {}) }],
  [
    'allow-all, one registered Application',
    { port, authorizer: authorization((a) => a.setApplicationRegistered('shop', true)) },
  ],
  [
    'an EventPolicy selects the broker (token checked)',
    {
      port,
      authorizer: authorization((a) => {
        a.setSenderToken('default/t', {
          key: 'default/t',
          hash: hashSenderToken(TOKEN),
          subject: 'system:serviceaccount:default:app',
          namespace: 'default',
        });
        a.setBrokerAccess('default', 'default', {
          namespace: 'default',
          name: 'default',
          mode: 'allow-all',
          policies: [{ name: 'p', subjects: ['system:serviceaccount:default:*'], filters: [] }],
        });
      }),
    },
  ],
];

async function round(logic: IngressLogic, n: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const outcome = await acceptEvents(logic, {
      namespace: 'default',
      broker: 'default',
      headers,
      rawHeaders,
      credential: { authorization: headers.authorization },
      body: () => Promise.resolve(body),
    });
    if (outcome.type !== 'accepted') throw new Error(outcome.error.message);
  }
  return Number(process.hrtime.bigint() - started) / n;
}

const N = 20_000;
const best = variants.map(() => Infinity);
for (let r = 0; r < 12; r++) {
  for (const [i, [, logic]] of variants.entries())
    best[i] = Math.min(best[i] ?? Infinity, await round(logic, N));
}
const base = best[0] ?? 1;
for (const [i, [name]] of variants.entries()) {
  const ns = best[i] ?? 0;
  console.log(`${name.padEnd(52)} ${ns.toFixed(0).padStart(6)} ns/request  x${(ns / base).toFixed(3)}`);
}
