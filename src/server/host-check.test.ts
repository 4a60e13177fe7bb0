import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { createHostCheck } from './host-check.js';

const rows: [names: string[], host: string | undefined, allowed: boolean][] = [
  [[], '127.0.0.1:8081', true],
  [[], '[::1]:8081', true],
  [[], '10.1.2.3', true],
  [[], 'localhost:8081', true],
  [[], 'LOCALHOST', true],
  [[], 'console.localhost:8081', true],
  [[], `${hostname()}:8081`, true],
  [[], undefined, true],
  [[], 'attacker.example:8081', false],
  [[], 'localhost.attacker.example', false],
  [['mesh.internal'], 'mesh.internal:8081', true],
  [['mesh.internal'], 'other.internal:8081', false],
  [['*'], 'attacker.example', true],
];

for (const [names, host, allowed] of rows) {
  test(`Host ${String(host)} with --admin-host ${names.join(',') || '(none)'} is ${allowed ? 'allowed' : 'refused'}`, () => {
    assert.equal(createHostCheck(names)(host), allowed);
  });
}
