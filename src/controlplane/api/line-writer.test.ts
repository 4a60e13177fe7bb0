import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LINE_CHUNK_CHARS, LineWriter } from './line-writer.js';

/** A sink that records each write; with `hold`, it keeps the writes' callbacks until `release` (backed up). */
function sink(hold = false, highWaterMark = 16) {
  const writes: string[] = [];
  const held: (() => void)[] = [];
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString('utf8'));
      if (hold) held.push(callback);
      else callback();
    },
  });
  // The reader catches up: what is held goes through, and so does everything written from now on.
  const release = (): void => {
    hold = false;
    for (const callback of held.splice(0)) callback();
  };
  return { out, writes, release };
}

test('lines queued in one turn of the event loop go out as one write', async () => {
  const { out, writes } = sink();
  const lines = new LineWriter(out);
  for (let i = 0; i < 100; i++) await lines.add({ i });
  assert.equal(writes.length, 0);
  await nextTurn();
  assert.equal(writes.length, 1);
  assert.equal(writes[0]?.split('\n').length, 101);
  assert.deepEqual(JSON.parse(writes[0]?.split('\n')[99] ?? ''), { i: 99 });
});

test('a lone line is written by the end of the turn it was queued in', async () => {
  const { out, writes } = sink();
  const lines = new LineWriter(out);
  await lines.add({ type: 'MODIFIED' });
  await nextTurn();
  await lines.add({ type: 'DELETED' });
  await nextTurn();
  assert.deepEqual(writes, ['{"type":"MODIFIED"}\n', '{"type":"DELETED"}\n']);
});

test('a full chunk is written at once, and add waits while the output is backed up', async () => {
  const { out, writes, release } = sink(true);
  const lines = new LineWriter(out);
  const big = 'x'.repeat(LINE_CHUNK_CHARS);
  let resolved = false;
  const adding = lines.add(big).then(() => (resolved = true));
  assert.equal(writes.length, 1, 'written without waiting for the turn to end');
  await nextTurn();
  assert.equal(resolved, false, 'waits for drain');
  release();
  await adding;
  assert.equal(resolved, true);
});

test('a slow reader holds back small lines too: add waits while the output is backed up', async () => {
  const { out, writes, release } = sink(true);
  const lines = new LineWriter(out);
  await lines.add('x'.repeat(100));
  await nextTurn();
  assert.equal(writes.length, 1, 'the turn wrote its line, more than the output buffers');
  let resolved = false;
  const adding = lines.add('small').then(() => (resolved = true));
  await nextTurn();
  assert.equal(resolved, false, 'waits for drain');
  release();
  await adding;
  assert.equal(resolved, true);
});

test('flush writes what is pending, and nothing twice', async () => {
  const { out, writes } = sink();
  const lines = new LineWriter(out);
  await lines.add(1);
  await lines.add(2);
  assert.equal(lines.flush(), true);
  await nextTurn();
  assert.deepEqual(writes, ['1\n2\n']);
});

test('nothing is written to a destroyed output', async () => {
  const { out, writes } = sink();
  const lines = new LineWriter(out);
  await lines.add(1);
  out.destroy();
  await nextTurn();
  assert.deepEqual(writes, []);
});
