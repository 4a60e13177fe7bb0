import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CloudEvent } from '../cloudevents/model.js';
import { isMeshError } from '../errors.js';
import { compileTriggerFilter } from '../filters/index.js';
import {
  authorizeEvents,
  authorizeSender,
  compiledPolicy,
  type BrokerAccess,
  type SenderIdentity,
} from './decide.js';
import { authorizationModeOf } from './mode.js';
import { selectorMatches } from './selector.js';
import { serviceAccountNamespace, subjectMatches, subjectProblem } from './subjects.js';

const event = (attributes: Record<string, string>): CloudEvent =>
  ({
    attributes: { specversion: '1.0', id: '1', type: 't', source: '/s', ...attributes },
  }) as unknown as CloudEvent;

const sa = (ns: string, name: string): SenderIdentity => ({
  subject: `system:serviceaccount:${ns}:${name}`,
  namespace: ns,
});

function code(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (isMeshError(error)) return error.code;
    throw error;
  }
}

describe('subjects', () => {
  test('a trailing * matches any suffix, elsewhere it is a character', () => {
    assert.equal(subjectMatches('system:serviceaccount:a:*', 'system:serviceaccount:a:x'), true);
    assert.equal(subjectMatches('system:serviceaccount:a:*', 'system:serviceaccount:b:x'), false);
    assert.equal(subjectMatches('*', 'anything'), true);
    assert.equal(subjectMatches('a*b', 'a*b'), true);
    assert.equal(subjectMatches('a*b', 'axb'), false);
    assert.equal(subjectMatches('exact', 'exact'), true);
    assert.equal(subjectMatches('exact', 'exactly'), false);
  });
  test('service account namespaces', () => {
    assert.equal(serviceAccountNamespace('system:serviceaccount:team:app'), 'team');
    assert.equal(serviceAccountNamespace('system:serviceaccount:team'), undefined);
    assert.equal(serviceAccountNamespace('application:shop'), undefined);
  });
  test('subject problems', () => {
    assert.equal(subjectProblem('ok:subject'), undefined);
    assert.match(subjectProblem('') ?? '', /empty/);
    assert.match(subjectProblem('a b') ?? '', /spaces/);
    assert.match(subjectProblem('a*') ?? '', /\*/);
    assert.equal(subjectProblem('a*', true), undefined);
    assert.match(subjectProblem('x'.repeat(300)) ?? '', /at most/);
  });
});

describe('label selectors', () => {
  const table: [Parameters<typeof selectorMatches>[0], Record<string, string>, boolean][] = [
    [{ matchLabels: { a: '1' }, matchExpressions: [] }, { a: '1' }, true],
    [{ matchLabels: { a: '1' }, matchExpressions: [] }, { a: '2' }, false],
    [
      { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] },
      { a: '2' },
      true,
    ],
    [{ matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {}, true],
    [
      { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] },
      { a: '1' },
      false,
    ],
    [{ matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'Exists', values: [] }] }, {}, false],
    [{ matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: [] }] }, {}, true],
  ];
  table.forEach(([selector, labels, expected], i) =>
    test(`row ${i}`, () => assert.equal(selectorMatches(selector, labels), expected)),
  );
});

describe('default authorization mode', () => {
  test('read from config-features, allow-all when absent', () => {
    assert.equal(authorizationModeOf(undefined), 'allow-all');
    assert.equal(authorizationModeOf({ 'default-authorization-mode': 'deny-all' }), 'deny-all');
    assert.equal(
      authorizationModeOf({ 'default-authorization-mode': ' allow-same-namespace\n' }),
      'allow-same-namespace',
    );
  });
});

describe('authorizeSender', () => {
  const access = (mode: BrokerAccess['mode'], policies: BrokerAccess['policies'] = []): BrokerAccess => ({
    namespace: 'team',
    name: 'default',
    mode,
    policies,
  });
  const onlyApp = compiledPolicy('p', ['system:serviceaccount:team:app'], undefined);
  const table: [string, BrokerAccess, SenderIdentity | undefined, string][] = [
    ['allow-all lets anyone in', access('allow-all'), undefined, 'ok'],
    [
      'same namespace without credential: 401',
      access('allow-same-namespace'),
      undefined,
      'MESH_UNAUTHORIZED',
    ],
    [
      'same namespace, other namespace: 403',
      access('allow-same-namespace'),
      sa('other', 'x'),
      'MESH_FORBIDDEN',
    ],
    ['same namespace, own namespace', access('allow-same-namespace'), sa('team', 'x'), 'ok'],
    ['deny-all without credential: 401', access('deny-all'), undefined, 'MESH_UNAUTHORIZED'],
    ['deny-all with one: 403', access('deny-all'), sa('team', 'x'), 'MESH_FORBIDDEN'],
    ['policies need a credential', access('allow-all', [onlyApp]), undefined, 'MESH_UNAUTHORIZED'],
    ['policies refuse other subjects', access('allow-all', [onlyApp]), sa('team', 'other'), 'MESH_FORBIDDEN'],
    ['policies take theirs, even under deny-all', access('deny-all', [onlyApp]), sa('team', 'app'), 'ok'],
  ];
  for (const [name, broker, sender, expected] of table)
    test(name, () =>
      assert.equal(
        code(() => authorizeSender(broker, sender)),
        expected,
      ),
    );
});

describe('authorizeEvents', () => {
  const orders = compileTriggerFilter({ filters: [{ prefix: { type: 'order.' } }] });
  const filtered = compiledPolicy('orders', ['s'], orders);
  const open = compiledPolicy('open', ['s'], undefined);
  const speaks = compiledPolicy('relay', ['application:shop', 's'], undefined);
  const sender: SenderIdentity = { subject: 's', namespace: 'team' };
  const apps = new Set(['shop']);
  const table: [
    string,
    SenderIdentity | undefined,
    Parameters<typeof authorizeEvents>[1],
    CloudEvent,
    string,
  ][] = [
    ['passes the filter', sender, [filtered], event({ type: 'order.made' }), 'ok'],
    ['fails the filter', sender, [filtered], event({ type: 'refund' }), 'MESH_FORBIDDEN'],
    [
      'one allowing policy without filters is enough',
      sender,
      [filtered, open],
      event({ type: 'refund' }),
      'ok',
    ],
    ['no policies: no filter', undefined, [], event({ type: 'refund' }), 'ok'],
    ['an application source from anyone', undefined, [], event({ source: 'shop' }), 'MESH_FORBIDDEN'],
    [
      'an application source from another subject',
      sender,
      [open],
      event({ source: 'shop' }),
      'MESH_FORBIDDEN',
    ],
    [
      'an application source from the application',
      { subject: 'application:shop', namespace: undefined },
      [],
      event({ source: 'shop' }),
      'ok',
    ],
    ['a policy naming the application', sender, [speaks], event({ source: 'shop' }), 'ok'],
    ['other sources are free', undefined, [], event({ source: 'elsewhere' }), 'ok'],
  ];
  for (const [name, who, allowing, e, expected] of table)
    test(name, () =>
      assert.equal(
        code(() => authorizeEvents(who, allowing, [e], apps)),
        expected,
      ),
    );
});
