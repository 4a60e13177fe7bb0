import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newUid } from './uid.js';

test('newUid: a random (version 4) UUID, new every time', () => {
  const uids = new Set(Array.from({ length: 1000 }, () => newUid()));
  assert.equal(uids.size, 1000);
  for (const uid of uids)
    assert.match(uid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
