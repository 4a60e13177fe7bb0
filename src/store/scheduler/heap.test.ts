import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndexedHeap } from './heap.js';

interface Item {
  key: number;
  heapIndex: number;
}

const cases: { name: string; push: number[]; remove: number[]; expected: number[] }[] = [
  { name: 'empty', push: [], remove: [], expected: [] },
  { name: 'pops in key order', push: [5, 1, 4, 2, 3], remove: [], expected: [1, 2, 3, 4, 5] },
  { name: 'keeps duplicates', push: [2, 1, 2, 1], remove: [], expected: [1, 1, 2, 2] },
  { name: 'removes the top', push: [3, 1, 2], remove: [1], expected: [2, 3] },
  { name: 'removes from the middle', push: [9, 3, 7, 1, 8, 2, 6], remove: [7, 2], expected: [1, 3, 6, 8, 9] },
  { name: 'removes the last slot', push: [1, 2, 3], remove: [3], expected: [1, 2] },
  { name: 'removes everything', push: [4, 2], remove: [2, 4], expected: [] },
];

for (const c of cases) {
  test(`IndexedHeap: ${c.name}`, () => {
    const heap = new IndexedHeap<Item>((i) => i.key);
    const items = c.push.map((key) => ({ key, heapIndex: -1 }));
    for (const item of items) heap.push(item);
    for (const key of c.remove) heap.remove(items.find((i) => i.key === key && i.heapIndex >= 0)!);
    const popped: number[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) {
      assert.equal(item.heapIndex, -1, 'a popped item is marked as in no heap');
      popped.push(item.key);
    }
    assert.deepEqual(popped, c.expected);
  });
}

test('IndexedHeap: removing an item that is not in the heap changes nothing', () => {
  const heap = new IndexedHeap<Item>((i) => i.key);
  const a = { key: 1, heapIndex: -1 };
  heap.push({ key: 2, heapIndex: -1 });
  heap.remove(a);
  assert.equal(heap.size, 1);
});

test('IndexedHeap: random pushes and removals keep heap order', () => {
  const heap = new IndexedHeap<Item>((i) => i.key);
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const live: Item[] = [];
  for (let i = 0; i < 2000; i++) {
    if (live.length > 0 && random() < 0.3) {
      const [item] = live.splice(Math.floor(random() * live.length), 1);
      heap.remove(item!);
    } else {
      const item = { key: Math.floor(random() * 500), heapIndex: -1 };
      live.push(item);
      heap.push(item);
    }
  }
  const expected = live.map((i) => i.key).sort((a, b) => a - b);
  const popped: number[] = [];
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item.key);
  assert.deepEqual(popped, expected);
});
