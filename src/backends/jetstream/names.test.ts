import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brokerNames, NO_QUEUE_TOKEN, PREFIX_PATTERN, resourceKey, safeToken } from './names.js';

/** NATS subject tokens and stream/consumer names may not hold these. */
const FORBIDDEN = /[.*>\s/\\]/;

test('safeToken makes any id name-safe and keeps different ids apart', () => {
  const ids = [
    '3f2a1c9e-0b7d-4c1e-9f00-aa11bb22cc33',
    '3f2a1c9e-0b7d-4c1e-9f00-aa11bb22cc33/dls',
    '3f2a1c9e-0b7d-4c1e-9f00-aa11bb22cc33_dls',
    'a.b',
    'a_b',
    'a*b>c d',
    'ünïcode',
    '',
    'x'.repeat(500),
  ];
  const tokens = ids.map(safeToken);
  for (const [i, token] of tokens.entries()) {
    assert.doesNotMatch(token, FORBIDDEN, `token of ${JSON.stringify(ids[i])}`);
    assert.ok(token.length <= 60, 'bounded length');
    assert.notEqual(token, NO_QUEUE_TOKEN);
  }
  assert.equal(new Set(tokens).size, ids.length, 'no two ids share a token');
  assert.equal(safeToken('a/b'), safeToken('a/b'), 'deterministic');
  assert.match(safeToken('trigger-uid/dls'), /^trigger-uid_dls-[0-9a-f]{12}$/, 'readable part first');
  // Streams, consumers and history subjects already stored carry tokens: the hash may never change.
  assert.equal(safeToken('orders/dls'), 'orders_dls-8592742350f0');
});

test('a queue consumer filter matches both copy subjects of its queue and nothing else', () => {
  const names = brokerNames('cemesh', { namespace: 'ns', name: 'default' });
  const filter = names.queueFilter('q1');
  const matches = (subject: string): boolean => {
    const f = filter.split('.');
    const s = subject.split('.');
    return f.length === s.length && f.every((t, i) => t === '*' || t === s[i]);
  };
  assert.ok(matches(names.firstCopy('q1')));
  assert.ok(matches(names.copy('q1')));
  assert.ok(!matches(names.firstCopy('q2')));
  assert.ok(!matches(names.copy('q2')));
  assert.ok(!matches(names.firstCopy(undefined)));
  assert.ok(!matches(names.dropMarker('q1')), 'the drop marker is never a delivery');
});

test('every subject of a broker lies under its stream subjects, and brokers never share them', () => {
  const a = brokerNames('cemesh', { namespace: 'ns', name: 'default' });
  const b = brokerNames('cemesh', { namespace: 'ns-default', name: '' });
  const under = (names: typeof a, subject: string): boolean =>
    subject.startsWith(names.allSubjects.slice(0, -1));
  for (const subject of [a.firstCopy('q'), a.copy('q'), a.firstCopy(undefined), a.dropMarker('q')]) {
    assert.ok(under(a, subject), subject);
    assert.ok(!under(b, subject), subject);
  }
  assert.notEqual(a.stream, b.stream);
  assert.doesNotMatch(a.stream, FORBIDDEN);
  assert.doesNotMatch(a.consumer('uid/dls'), FORBIDDEN);
  assert.equal(a.firstCopies, a.firstCopy(undefined).replace(/_$/, '*'));
});

test('the shards of a broker have their own stream and subjects; shard 0 keeps the unsharded names', () => {
  const ref = { namespace: 'ns', name: 'default' };
  const shards = [0, 1, 2, 15].map((i) => brokerNames('cemesh', ref, i));
  const unsharded = brokerNames('cemesh', ref);
  assert.equal(shards[0]?.stream, unsharded.stream);
  assert.equal(shards[0]?.queueFilter('q'), unsharded.queueFilter('q'));
  assert.equal(new Set(shards.map((n) => n.stream)).size, shards.length);
  for (const names of shards) {
    assert.doesNotMatch(names.stream, FORBIDDEN);
    for (const other of shards) {
      if (other === names) continue;
      const prefix = other.allSubjects.slice(0, -1);
      for (const subject of [names.firstCopy('q'), names.copy('q'), names.dropMarker('q')]) {
        assert.ok(!subject.startsWith(prefix), `${subject} is not under ${other.allSubjects}`);
      }
    }
  }
});

test('the prefix pattern accepts what works in subjects, stream and bucket names', () => {
  for (const ok of ['cemesh', 'mesh-2', 'a_b', 't0123456789ab']) assert.match(ok, PREFIX_PATTERN);
  for (const bad of ['', 'Cemesh', 'a.b', 'a b', '-x', 'x'.repeat(33), 'a*']) {
    assert.doesNotMatch(bad, PREFIX_PATTERN);
  }
});

test('resource keys are valid KV keys, readable for plain names, and distinct for every key', () => {
  const keys = [
    { kind: 'Broker', namespace: 'default', name: 'default' },
    { kind: 'Broker', namespace: 'a.b', name: 'c' },
    { kind: 'Broker', namespace: 'a', name: 'b.c' },
    { kind: 'Namespace', name: 'default' },
    { kind: 'Namespace', namespace: '', name: 'default' },
    { kind: 'Trigger', namespace: '_', name: 'x' },
    { kind: 'ConfigMap', namespace: 'ns', name: 'UPPER_and spaces' },
  ];
  const encoded = keys.map(resourceKey);
  for (const key of encoded) assert.match(key, /^[-/_=.a-zA-Z0-9]+$/);
  assert.equal(encoded[0], 'Broker.default.default');
  assert.equal(encoded[3], 'Namespace._.default');
  assert.equal(encoded[3], encoded[4], 'an empty namespace is cluster-scoped');
  assert.equal(new Set(encoded).size, keys.length - 1);
});
