import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDestination } from './destinations.js';

const brokers = (ns: string, name: string): string | undefined =>
  ns === 'team' && name === 'default' ? 'http://127.0.0.1:8080/team/default' : undefined;

const cases: { name: string; dest: Parameters<typeof resolveDestination>[0]; want: string | RegExp }[] = [
  { name: 'absolute uri', dest: { uri: 'http://sub.example/x' }, want: 'http://sub.example/x' },
  {
    name: 'Broker ref',
    dest: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } },
    want: 'http://127.0.0.1:8080/team/default',
  },
  {
    name: 'Broker ref not ready',
    dest: { ref: { kind: 'Broker', name: 'other' } },
    want: /ReferenceNotFound/,
  },
  {
    name: 'Knative Service ref',
    dest: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'svc' } },
    want: 'http://svc.team.svc.cluster.local',
  },
  {
    name: 'core Service ref in another namespace',
    dest: { ref: { apiVersion: 'v1', kind: 'Service', name: 'svc', namespace: 'ops' } },
    want: 'http://svc.ops.svc.cluster.local',
  },
  {
    name: 'ref + relative uri',
    dest: { ref: { apiVersion: 'v1', kind: 'Service', name: 'svc' }, uri: '/events/in' },
    want: 'http://svc.team.svc.cluster.local/events/in',
  },
  {
    name: 'unknown kind',
    dest: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Route', name: 'r' } },
    want: /UnresolvableReference/,
  },
  { name: 'nothing', dest: {}, want: /DestinationMissing/ },
];

for (const c of cases) {
  test(`resolveDestination: ${c.name}`, () => {
    const got = resolveDestination(c.dest, 'team', brokers);
    if (typeof c.want === 'string') assert.deepEqual(got, { uri: c.want });
    else assert.match('reason' in got ? got.reason : JSON.stringify(got), c.want);
  });
}
