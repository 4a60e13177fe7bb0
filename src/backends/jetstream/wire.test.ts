import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameWriter } from './wire.js';

const bytes = (text: string): Uint8Array => Buffer.from(text);
const text = (frame: Uint8Array): string => Buffer.from(frame).toString('utf8');
const HEADERS = bytes('NATS/1.0\r\nNats-Expected-Stream: S\r\n\r\n');

test('each message is framed as the NATS protocol says: PUB or HPUB, with or without a reply', () => {
  const cases: {
    name: string;
    reply?: string;
    headers?: Uint8Array;
    payload: Uint8Array | string;
    frame: string;
  }[] = [
    { name: 'one-way string', payload: '+ACK', frame: 'PUB a.b 4\r\n+ACK\r\n' },
    { name: 'one-way bytes', payload: bytes('xyz'), frame: 'PUB a.b 3\r\nxyz\r\n' },
    { name: 'empty payload', payload: '', frame: 'PUB a.b 0\r\n\r\n' },
    { name: 'an empty reply is none', reply: '', payload: 'x', frame: 'PUB a.b 1\r\nx\r\n' },
    { name: 'with a reply', reply: '_INBOX.1', payload: 'x', frame: 'PUB a.b _INBOX.1 1\r\nx\r\n' },
    {
      name: 'headers and a reply',
      reply: 'r.7',
      headers: HEADERS,
      payload: bytes('ev'),
      frame: `HPUB a.b r.7 ${HEADERS.length} ${HEADERS.length + 2}\r\n${text(HEADERS)}ev\r\n`,
    },
    {
      name: 'headers, no reply',
      headers: HEADERS,
      payload: '',
      frame: `HPUB a.b ${HEADERS.length} ${HEADERS.length}\r\n${text(HEADERS)}\r\n`,
    },
    // Lengths count UTF-8 bytes, not UTF-16 units: 'é' is 2 bytes, '😀' 4.
    { name: 'UTF-8 string', payload: '{"id":"é😀"}', frame: 'PUB a.b 15\r\n{"id":"é😀"}\r\n' },
  ];
  for (const c of cases) {
    const writer = new FrameWriter();
    assert.equal(writer.add('a.b', c.reply, c.headers, c.payload, 1_000), true, c.name);
    assert.equal(text(writer.take()), c.frame, c.name);
  }
});

test('messages of one frame follow each other in the order added', () => {
  const writer = new FrameWriter();
  writer.add('s.1', undefined, undefined, 'a', 100);
  writer.add('s.2', 'r', HEADERS, bytes('b'), 100);
  writer.add('s.3', undefined, undefined, 'c', 100);
  assert.equal(
    text(writer.take()),
    `PUB s.1 1\r\na\r\nHPUB s.2 r ${HEADERS.length} ${HEADERS.length + 1}\r\n${text(HEADERS)}b\r\nPUB s.3 1\r\nc\r\n`,
  );
});

test('a message over max_payload (headers and payload together) is refused and nothing of it is written', () => {
  const writer = new FrameWriter();
  assert.equal(writer.add('s', undefined, undefined, 'x'.repeat(10), 10), true);
  assert.equal(writer.add('s', undefined, undefined, 'x'.repeat(11), 10), false);
  assert.equal(writer.add('s', undefined, undefined, 'é'.repeat(6), 10), false, '12 bytes in 6 units');
  assert.equal(writer.add('s', undefined, bytes('12345'), bytes('123456'), 10), false);
  assert.equal(text(writer.take()), `PUB s 10\r\n${'x'.repeat(10)}\r\n`);
});

test('a frame grows past its first room, and take hands it over and starts the next empty', () => {
  const writer = new FrameWriter(16);
  const big = 'y'.repeat(100_000);
  for (let i = 0; i < 3; i++) writer.add(`s.${i}`, undefined, undefined, big, 1_000_000);
  const frame = writer.take();
  assert.equal(text(frame), [0, 1, 2].map((i) => `PUB s.${i} 100000\r\n${big}\r\n`).join(''));
  assert.equal(writer.size, 0);
  writer.add('t', undefined, undefined, 'z', 10);
  assert.equal(text(writer.take()), 'PUB t 1\r\nz\r\n');
  assert.equal(
    text(frame).length,
    3 * (100_000 + 'PUB s.0 100000\r\n\r\n'.length),
    'the first frame is untouched',
  );
});
