import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldError } from '../errors.js';
import { validateDeliverySpec } from './index.js';

const P = 'spec.delivery';
const DURATION = 'must be an ISO-8601 duration such as PT0.2S';

const valid: [name: string, spec: unknown][] = [
  ['absent', undefined],
  ['null', null],
  ['empty', {}],
  [
    'every field',
    {
      retry: 5,
      backoffPolicy: 'linear',
      backoffDelay: 'PT0.5S',
      timeout: 'PT10S',
      retryAfterMax: 'PT2M',
      deadLetterSink: { uri: 'http://dls.example/' },
      format: 'json',
    },
  ],
  ['retry 0 (one attempt only)', { retry: 0 }],
  ['exponential, binary', { backoffPolicy: 'exponential', format: 'binary' }],
  ['zero backoff delay', { backoffDelay: 'PT0S' }],
  ['retryAfterMax PT0S (opt out of Retry-After)', { retryAfterMax: 'PT0S' }],
  ['null fields read as not set', { retry: null, backoffPolicy: null, deadLetterSink: null }],
  [
    'dead-letter sink by ref',
    { deadLetterSink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'dlq' } } },
  ],
];

for (const [name, spec] of valid) {
  test(`valid delivery: ${name}`, () => {
    assert.deepEqual(validateDeliverySpec(spec, P), []);
  });
}

const invalid: [name: string, spec: unknown, errors: FieldError[]][] = [
  ['not an object', 'PT1S', [{ field: P, message: 'must be an object' }]],
  ['a list', [], [{ field: P, message: 'must be an object' }]],
  [
    'negative retry',
    { retry: -1 },
    [{ field: `${P}.retry`, message: 'must be an integer from 0 to 2147483647' }],
  ],
  [
    'non-integer retry',
    { retry: 1.5 },
    [{ field: `${P}.retry`, message: 'must be an integer from 0 to 2147483647' }],
  ],
  [
    'string retry',
    { retry: '3' },
    [{ field: `${P}.retry`, message: 'must be an integer from 0 to 2147483647' }],
  ],
  [
    'retry over int32',
    { retry: 2 ** 31 },
    [{ field: `${P}.retry`, message: 'must be an integer from 0 to 2147483647' }],
  ],
  [
    'unknown backoffPolicy',
    { backoffPolicy: 'fibonacci' },
    [{ field: `${P}.backoffPolicy`, message: 'must be linear or exponential' }],
  ],
  [
    'backoffPolicy is case-sensitive',
    { backoffPolicy: 'Linear' },
    [{ field: `${P}.backoffPolicy`, message: 'must be linear or exponential' }],
  ],
  ['bad backoffDelay', { backoffDelay: '200ms' }, [{ field: `${P}.backoffDelay`, message: DURATION }]],
  ['numeric backoffDelay', { backoffDelay: 0.2 }, [{ field: `${P}.backoffDelay`, message: DURATION }]],
  ['bad timeout', { timeout: '30s' }, [{ field: `${P}.timeout`, message: DURATION }]],
  [
    'Timeout: the value must be greater than 0',
    { timeout: 'PT0S' },
    [{ field: `${P}.timeout`, message: 'must be greater than 0' }],
  ],
  ['bad retryAfterMax', { retryAfterMax: 'forever' }, [{ field: `${P}.retryAfterMax`, message: DURATION }]],
  ['unknown format', { format: 'JSON' }, [{ field: `${P}.format`, message: 'must be json or binary' }]],
  [
    'structured is not a format name',
    { format: 'structured' },
    [{ field: `${P}.format`, message: 'must be json or binary' }],
  ],
  [
    'bad dead-letter sink',
    { deadLetterSink: { uri: 'not a url' } },
    [
      {
        field: `${P}.deadLetterSink.uri`,
        message: 'must be an absolute http or https URL when ref is not set',
      },
    ],
  ],
];

for (const [name, spec, errors] of invalid) {
  test(`invalid delivery: ${name}`, () => {
    assert.deepEqual(validateDeliverySpec(spec, P), errors);
  });
}

test('every delivery error is reported at once', () => {
  const errors = validateDeliverySpec(
    {
      retry: -2,
      backoffPolicy: 'x',
      backoffDelay: 'x',
      timeout: 'x',
      retryAfterMax: 'x',
      format: 'x',
      deadLetterSink: {},
    },
    'spec.delivery',
  );
  assert.deepEqual(
    errors.map((e) => e.field),
    [
      'spec.delivery.retry',
      'spec.delivery.backoffPolicy',
      'spec.delivery.backoffDelay',
      'spec.delivery.timeout',
      'spec.delivery.retryAfterMax',
      'spec.delivery.deadLetterSink',
      'spec.delivery.format',
    ],
  );
});
