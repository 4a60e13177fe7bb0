import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldError } from '../errors.js';
import { validateDestination } from './index.js';

const P = 'spec.subscriber';
const ref = { apiVersion: 'v1', kind: 'Service', name: 'display' };

const valid: [name: string, dest: unknown][] = [
  ['absolute http uri', { uri: 'http://display.default.svc.cluster.local/events' }],
  ['absolute https uri with port and query', { uri: 'https://example.com:8443/hook?x=1' }],
  ['ref', { ref }],
  ['ref with namespace', { ref: { ...ref, namespace: 'other' } }],
  ['ref without apiVersion', { ref: { kind: 'Broker', name: 'default' } }],
  ['ref and a relative uri path', { ref, uri: '/extra/path' }],
  ['ref and a relative uri without slash', { ref, uri: 'extra' }],
  ['ref and a query-only uri', { ref, uri: '?tenant=a' }],
];

for (const [name, dest] of valid) {
  test(`valid destination: ${name}`, () => {
    assert.deepEqual(validateDestination(dest, P), []);
  });
}

const invalid: [name: string, dest: unknown, errors: FieldError[]][] = [
  ['not an object', 'http://x', [{ field: P, message: 'must be an object with uri, ref, or both' }]],
  ['neither uri nor ref', {}, [{ field: P, message: 'expected at least one of uri and ref, got neither' }]],
  [
    'a relative uri alone',
    { uri: '/events' },
    [{ field: `${P}.uri`, message: 'must be an absolute http or https URL when ref is not set' }],
  ],
  [
    'a non-http scheme',
    { uri: 'ftp://example.com/x' },
    [{ field: `${P}.uri`, message: 'must be an absolute http or https URL when ref is not set' }],
  ],
  ['an empty uri', { uri: '' }, [{ field: `${P}.uri`, message: 'must be a non-empty string' }]],
  ['a non-string uri', { uri: 8080 }, [{ field: `${P}.uri`, message: 'must be a non-empty string' }]],
  [
    'an absolute uri beside a ref',
    { ref, uri: 'http://example.com/x' },
    [
      {
        field: `${P}.uri`,
        message: 'must be a relative URI when ref is set (it is resolved against the address of ref)',
      },
    ],
  ],
  [
    'ref without kind and name',
    { ref: { apiVersion: 'v1' } },
    [
      { field: `${P}.ref.kind`, message: 'required' },
      { field: `${P}.ref.name`, message: 'required' },
    ],
  ],
  [
    'ref is not an object',
    { ref: 'display' },
    [{ field: `${P}.ref`, message: 'must be an object with kind and name' }],
  ],
  [
    'ref with a non-string name',
    { ref: { kind: 'Service', name: 3 } },
    [{ field: `${P}.ref.name`, message: 'must be a string' }],
  ],
  [
    'ref with an empty apiVersion and namespace',
    { ref: { ...ref, apiVersion: '', namespace: '' } },
    [
      { field: `${P}.ref.apiVersion`, message: 'must be a non-empty string when set' },
      { field: `${P}.ref.namespace`, message: 'must be a non-empty string when set' },
    ],
  ],
];

for (const [name, dest, errors] of invalid) {
  test(`invalid destination: ${name}`, () => {
    assert.deepEqual(validateDestination(dest, P), errors);
  });
}
