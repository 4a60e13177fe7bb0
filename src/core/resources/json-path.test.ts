import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileJsonPath } from './json-path.js';

const object = {
  metadata: { name: 'b', annotations: { 'eventing.cemesh.dev/persistence': 'memory' } },
  status: {
    address: { url: 'http://x' },
    conditions: [
      { type: 'Addressable', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'BackendUnavailable' },
    ],
  },
  list: ['a', 'b'],
};

const cases: [string, unknown][] = [
  ['.status.address.url', 'http://x'],
  ['.status.conditions[?(@.type=="Ready")].status', 'False'],
  ['.status.conditions[?(@.type=="Ready")].reason', 'BackendUnavailable'],
  ['.status.conditions[?(@.type=="Missing")].status', undefined],
  [".metadata.annotations['eventing.cemesh.dev/persistence']", 'memory'],
  ['.list[1]', 'b'],
  ['.list[5]', undefined],
  ['.status.nothing.deeper', undefined],
  ['.metadata.name.length', undefined],
];

for (const [path, expected] of cases) {
  test(`JSONPath ${path}`, () => assert.equal(compileJsonPath(path)(object), expected));
}

test('a path it cannot read is refused naming the position', () => {
  assert.throws(() => compileJsonPath('.status..x'), /position 7/);
  assert.throws(() => compileJsonPath('status'), /position 0/);
});
