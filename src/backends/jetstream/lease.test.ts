import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nakPayload, parseAckSubject } from './lease.js';

test('parseAckSubject reads the pre-2.10 ack subject', () => {
  assert.deepEqual(parseAckSubject('$JS.ACK.S_x.q-1.3.42.17.1795813938801749520.5'), {
    stream: 'S_x',
    consumer: 'q-1',
    delivered: 3,
    streamSeq: 42,
    storedAt: 1795813938801,
    pending: 5,
  });
});

test('parseAckSubject reads the ack subject with domain and account hash', () => {
  const info = parseAckSubject('$JS.ACK._.ACCHASH.S.c.1.7.7.1795813938801749520.0.Rand0m');
  assert.equal(info?.stream, 'S');
  assert.equal(info?.consumer, 'c');
  assert.equal(info?.delivered, 1);
  assert.equal(info?.streamSeq, 7);
});

test('parseAckSubject reads the last token to its end, and numbers up to 15 digits exactly', () => {
  assert.deepEqual(parseAckSubject('$JS.ACK.S.c.12.999999999999999.1.1000000.123'), {
    stream: 'S',
    consumer: 'c',
    delivered: 12,
    streamSeq: 999_999_999_999_999,
    storedAt: 1,
    pending: 123,
  });
});

test('parseAckSubject rejects what is not an ack subject', () => {
  for (const subject of [
    '_INBOX.abc.1',
    '$JS.API.CONSUMER.MSG.NEXT.S.c',
    '$JS.ACK.S.c.x.1.1.1.0',
    '$JS.ACK.S.c.0.1.1.1.0',
    '$JS.ACK.S.c.1.1',
    '$JS.ACK.S.c..1.1.1795813938801749520.0',
    '$JS.ACK.S.c.1.1.1.1795813938801749520.-1',
    '$JS.ACK.S.c.1.1.1.1795813938801749520.1e3',
    '$JS.ACK.S.c.1.1234567890123456.1.1795813938801749520.0',
    '$JS.ACK.S.c.1.1.1.749520.0',
    '$JS.ACK.S.c.1.1.1.1795813938801749520.0.extra',
    '$JS.ACKS.c.1.1.1.1795813938801749520.0',
  ]) {
    assert.equal(parseAckSubject(subject), undefined, subject);
  }
});

test('nakPayload asks for redelivery now, or after the delay in nanoseconds', () => {
  assert.equal(nakPayload(0), '-NAK');
  assert.equal(nakPayload(-5), '-NAK');
  assert.equal(nakPayload(Number.NaN), '-NAK');
  assert.equal(nakPayload(120), '-NAK {"delay":120000000}');
  assert.equal(nakPayload(0.5), '-NAK {"delay":500000}');
});
