import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateEcho } from './echo.js';

test('a message past the limit is cut and says how much was left out', () => {
  assert.equal(truncateEcho('short'), 'short');
  assert.equal(truncateEcho('x'.repeat(1024)), 'x'.repeat(1024));
  assert.equal(truncateEcho('abcdef', 4), 'abcd… (2 more characters)');
});
