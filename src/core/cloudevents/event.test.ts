import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshError } from '../errors.js';
import { withAttributes } from './event.js';
import type { CloudEvent } from './model.js';

const original: CloudEvent = {
  attributes: { specversion: '1.0', id: '1', source: '/s', type: 't', subject: 'sub' },
  data: new Uint8Array([1]),
};

test('withAttributes sets, replaces and removes attributes on a copy', () => {
  const changed = withAttributes(original, {
    source: 'app',
    knativebrokerttl: 255,
    subject: undefined,
    flag: true,
  });
  assert.deepEqual(changed.attributes, {
    specversion: '1.0',
    id: '1',
    source: 'app',
    type: 't',
    knativebrokerttl: 255,
    flag: true,
  });
  assert.equal(changed.data, original.data, 'data is shared');
  assert.deepEqual(original.attributes, {
    specversion: '1.0',
    id: '1',
    source: '/s',
    type: 't',
    subject: 'sub',
  });
});

test('withAttributes keeps an event without data without data', () => {
  assert.equal('data' in withAttributes({ attributes: original.attributes }, { id: '2' }), false);
});

test('withAttributes validates what it sets', () => {
  const cases: [Record<string, string | number | boolean>, string, string][] = [
    [{ Bad: 'x' }, 'Bad', 'name'],
    [{ ttl: 2 ** 31 }, 'ttl', 'type:Integer'],
    [{ time: 'now' }, 'time', 'type:Timestamp'],
    [{ source: 5 }, 'source', 'type:URI-reference'],
  ];
  for (const [changes, attribute, rule] of cases) {
    assert.throws(
      () => withAttributes(original, changes),
      (error: unknown) =>
        error instanceof MeshError && error.details.attribute === attribute && error.details.rule === rule,
    );
  }
  assert.throws(() => withAttributes(original, { specversion: '0.3' }), {
    code: 'MESH_SPECVERSION_UNSUPPORTED',
  });
});
