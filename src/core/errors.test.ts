// fastify-style check: every error code is documented for users.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCodes } from './errors.js';

test('every error code is documented in docs/errors.md', () => {
  const doc = readFileSync('docs/errors.md', 'utf8');
  const missing = Object.keys(errorCodes).filter((code) => !doc.includes(`\`${code}\``));
  assert.deepEqual(missing, []);
});
