import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a, ShardPicker } from './shard.js';

test('fnv1a matches the published 32-bit FNV-1a test vectors', () => {
  const vectors: [string, number][] = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
    ['chongo was here!\n', 0xd49930d5],
  ];
  for (const [text, hash] of vectors) assert.equal(fnv1a(text), hash, JSON.stringify(text));
});

test('a key always goes to the same shard; keys spread over every shard', () => {
  const picker = new ShardPicker(4);
  const seen = new Set<number>();
  for (let i = 0; i < 100; i++) {
    const shard = picker.pick(`customer-${i}`);
    assert.equal(new ShardPicker(4).pick(`customer-${i}`), shard);
    assert.ok(shard >= 0 && shard < 4);
    seen.add(shard);
  }
  assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
});

test('events without a key go round-robin; one shard takes everything', () => {
  const picker = new ShardPicker(3);
  assert.deepEqual(
    Array.from({ length: 6 }, () => picker.pick(undefined)),
    [1, 2, 0, 1, 2, 0],
  );
  const single = new ShardPicker(1);
  assert.deepEqual([single.pick('k'), single.pick(undefined)], [0, 0]);
});
