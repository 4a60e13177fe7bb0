import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timestamp } from './admission.js';

test('timestamp: RFC 3339 in UTC with whole seconds, for each second asked in any order', () => {
  const cases: [ms: number, text: string][] = [
    [Date.UTC(2026, 11, 7, 20, 50, 5, 0), '2026-12-07T20:50:05Z'],
    [Date.UTC(2026, 11, 7, 20, 50, 5, 999), '2026-12-07T20:50:05Z'],
    [Date.UTC(2026, 11, 7, 20, 50, 6, 1), '2026-12-07T20:50:06Z'],
    [Date.UTC(2026, 11, 7, 20, 50, 5, 500), '2026-12-07T20:50:05Z'],
    [Date.UTC(1999, 0, 1, 0, 0, 0, 0), '1999-01-01T00:00:00Z'],
  ];
  for (const [ms, text] of cases) assert.equal(timestamp(new Date(ms)), text, new Date(ms).toISOString());
});
