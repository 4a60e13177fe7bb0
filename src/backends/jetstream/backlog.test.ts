import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BacklogSampler, SAMPLE_MS } from './backlog.js';
import type { QueueBacklog } from '../../store/contracts.js';

function fixture(answers: (QueueBacklog | Error)[]) {
  let now = 1_000_000;
  const asked: string[] = [];
  const sampler = new BacklogSampler(
    (id) => {
      asked.push(id);
      const answer = answers.shift();
      return answer instanceof Error || answer === undefined
        ? Promise.reject(answer ?? new Error('no answer'))
        : Promise.resolve(answer);
    },
    () => now,
  );
  return { sampler, asked, advance: (ms: number) => (now += ms) };
}

test('the first read starts a sample and answers undefined; the next read has it', async () => {
  const { sampler, asked } = fixture([{ depth: 3, oldestAppendedAt: 5 }]);
  assert.equal(sampler.read('q'), undefined);
  await sampler.settled();
  assert.deepEqual(sampler.read('q'), { depth: 3, oldestAppendedAt: 5 });
  assert.deepEqual(asked, ['q'], 'a fresh sample is not asked for again');
});

test('a sample older than SAMPLE_MS is refreshed in the background; the stale value answers meanwhile', async () => {
  const { sampler, asked, advance } = fixture([
    { depth: 3, oldestAppendedAt: 5 },
    { depth: 0, oldestAppendedAt: undefined },
  ]);
  sampler.read('q');
  await sampler.settled();
  advance(SAMPLE_MS);
  assert.deepEqual(sampler.read('q'), { depth: 3, oldestAppendedAt: 5 });
  assert.deepEqual(sampler.read('q'), { depth: 3, oldestAppendedAt: 5 }, 'one refresh at a time');
  await sampler.settled();
  assert.deepEqual(sampler.read('q'), { depth: 0, oldestAppendedAt: undefined });
  assert.equal(asked.length, 2);
});

test('a failed sample keeps the last value; samples of several queues run one after another', async () => {
  const { sampler, asked, advance } = fixture([
    { depth: 1, oldestAppendedAt: 9 },
    new Error('unreachable'),
    { depth: 7, oldestAppendedAt: 2 },
  ]);
  sampler.read('a');
  await sampler.settled();
  advance(SAMPLE_MS);
  sampler.read('a');
  sampler.read('b');
  await sampler.settled();
  assert.deepEqual(sampler.read('a'), { depth: 1, oldestAppendedAt: 9 });
  assert.deepEqual(sampler.read('b'), { depth: 7, oldestAppendedAt: 2 });
  assert.deepEqual(asked, ['a', 'a', 'b']);
});

test('a forgotten queue starts over', async () => {
  const { sampler } = fixture([{ depth: 1, oldestAppendedAt: 9 }]);
  sampler.read('q');
  await sampler.settled();
  sampler.forget('q');
  assert.equal(sampler.read('q'), undefined);
});
