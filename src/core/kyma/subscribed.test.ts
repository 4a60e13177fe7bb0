import assert from 'node:assert/strict';
import { subscriptionAsTriggers } from './subscribed.js';
import { describe, test } from 'node:test';
import {
  applicationCredential,
  credentialHash,
  hashApplicationToken,
  subscribedEvents,
  type SubscribedEvent,
  type TriggerSubscription,
} from './index.js';

const kyma = (attributes: Record<string, string>, broker?: string): TriggerSubscription => ({
  ...(broker === undefined ? {} : { broker }),
  filter: { attributes },
});

const cases: readonly { name: string; triggers: TriggerSubscription[]; events: SubscribedEvent[] }[] = [
  {
    name: 'the Kyma way: type, eventtypeversion and source = the application',
    triggers: [kyma({ type: 'order.created', eventtypeversion: 'v1', source: 'commerce' })],
    events: [{ name: 'order.created', version: 'v1' }],
  },
  {
    name: 'no source, or "" (any source), also receives the application events',
    triggers: [
      kyma({ type: 'order.created', eventtypeversion: 'v1' }),
      kyma({ type: 'order.shipped', source: '' }),
    ],
    events: [
      { name: 'order.created', version: 'v1' },
      { name: 'order.shipped', version: '' },
    ],
  },
  {
    name: 'another source, another broker, no type or an "any" type are not listed',
    triggers: [
      kyma({ type: 'order.created', source: 'marketing' }),
      kyma({ type: 'order.created' }, 'other'),
      kyma({ source: 'commerce' }),
      kyma({ type: '' }),
      {},
    ],
    events: [],
  },
  {
    name: 'exact entries of filters, merged; filters override filter',
    triggers: [
      {
        filter: { attributes: { type: 'ignored' } },
        filters: [{ exact: { type: 'user.created' } }, { exact: { eventtypeversion: 'v2' } }],
      },
    ],
    events: [{ name: 'user.created', version: 'v2' }],
  },
  {
    name: 'contradicting exact entries and other dialects are not listed',
    triggers: [
      { filters: [{ exact: { type: 'a' } }, { exact: { type: 'b' } }] },
      { filters: [{ prefix: { type: 'order.' } }] },
    ],
    events: [],
  },
  {
    name: 'duplicates are listed once, sorted by name then version',
    triggers: [
      kyma({ type: 'b', eventtypeversion: 'v1' }),
      kyma({ type: 'a', eventtypeversion: 'v2' }),
      kyma({ type: 'a', eventtypeversion: 'v1' }),
      kyma({ type: 'b', eventtypeversion: 'v1' }),
    ],
    events: [
      { name: 'a', version: 'v1' },
      { name: 'a', version: 'v2' },
      { name: 'b', version: 'v1' },
    ],
  },
];

describe('subscribed events of an application', () => {
  for (const c of cases)
    test(c.name, () => assert.deepEqual(subscribedEvents('commerce', c.triggers), c.events));
});

describe('application credentials', () => {
  test('the digest is the hex SHA-256 of the token', () => {
    assert.equal(
      hashApplicationToken('abc'),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
  test('a credential object round-trips its digest', () => {
    const hash = hashApplicationToken('token');
    const credential = applicationCredential('commerce', hash, '2024-01-01T00:00:00Z');
    assert.equal(credential.kind, 'ApplicationCredential');
    assert.equal(credential.metadata.name, 'commerce');
    assert.equal(credentialHash(credential), hash);
  });
  test('a digest of another algorithm or shape is not read', () => {
    const credential = applicationCredential('commerce', 'xyz', '2024-01-01T00:00:00Z');
    assert.equal(credentialHash(credential), undefined);
    assert.equal(
      credentialHash({ ...credential, spec: { algorithm: 'md5', hash: 'a'.repeat(64) } }),
      undefined,
    );
  });
});

test('a standard Kyma Subscription lists its types of the application; exact ones are not listed', () => {
  const triggers = [
    ...subscriptionAsTriggers({ source: 'commerce', types: ['order.created.v1', 'Account.Root.Created.v2'] }),
    ...subscriptionAsTriggers({ source: 'other', types: ['order.deleted.v1'] }),
    ...subscriptionAsTriggers({ typeMatching: 'exact', types: ['sap.kyma.custom.commerce.order.paid.v1'] }),
  ];
  assert.deepEqual(subscribedEvents('commerce', triggers), [
    { name: 'Account.Root.Created', version: 'v2' },
    { name: 'order.created', version: 'v1' },
  ]);
});
