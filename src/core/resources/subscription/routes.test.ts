import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CloudEvent } from '../../cloudevents/model.js';
import { compileTriggerFilter, TriggerIndex, validateTriggerFilters } from '../../filters/index.js';
import { KYMA_EVENT_TYPE_PREFIX } from '../../kyma/event-type.js';
import { subscriptionSpec } from './types.js';
import { subscriptionRoutes, type Route } from './routes.js';

const event = (attributes: Record<string, string>): CloudEvent => ({
  attributes: { specversion: '1.0', id: '1', ...attributes },
  data: undefined,
});

function routesOf(spec: Record<string, unknown>): Route[] {
  const compiled = subscriptionRoutes(
    subscriptionSpec({ apiVersion: 'x', kind: 'Subscription', metadata: { name: 's' }, spec }),
    KYMA_EVENT_TYPE_PREFIX,
  );
  assert.ok('routes' in compiled, JSON.stringify(compiled));
  for (const route of compiled.routes) assert.deepEqual(validateTriggerFilters(route.filter, 'spec'), []);
  return compiled.routes;
}

const CLEAN = 'sap.kyma.custom.myapp.order.created.v1';

test('standard: every stored form of the subscribed type from its source matches, nothing else', () => {
  const [route, ...rest] = routesOf({ source: 'my-app', types: ['order.created.v1'], sink: 'http://x/' });
  assert.equal(rest.length, 0);
  assert.equal(route?.cleanType, CLEAN);
  const matches = compileTriggerFilter(route!.filter);
  const rows: [string, Record<string, string>, boolean][] = [
    ['a CloudEvent of the type (/publish)', { source: 'my-app', type: 'order.created.v1' }, true],
    ['the legacy API form', { source: 'my-app', type: 'order.created', eventtypeversion: 'v1' }, true],
    ['the clean type itself', { source: 'my-app', type: CLEAN }, true],
    ['another version (legacy)', { source: 'my-app', type: 'order.created', eventtypeversion: 'v2' }, false],
    ['another application', { source: 'other', type: 'order.created.v1' }, false],
    ['another type', { source: 'my-app', type: 'order.deleted.v1' }, false],
  ];
  for (const [name, attributes, want] of rows) assert.equal(matches(event(attributes)), want, name);
});

test('standard: the route sits in the routing index under its source', () => {
  const [route] = routesOf({ source: 'my-app', types: ['order.created.v1'], sink: 'http://x/' });
  let evaluated = 0;
  const index = new TriggerIndex<string>({
    compile: (spec) => {
      const predicate = compileTriggerFilter(spec);
      return (e) => (evaluated++, predicate(e));
    },
  });
  index.set('r', route!.filter, 'r');
  assert.deepEqual(index.match(event({ source: 'other', type: 'order.created.v1' })), []);
  assert.equal(evaluated, 0);
  assert.deepEqual(index.match(event({ source: 'my-app', type: 'order.created.v1' })), ['r']);
});

test('exact: the type as written, any source, one route per type', () => {
  const routes = routesOf({
    typeMatching: 'exact',
    types: ['sap.kyma.custom.noapp.order.created.v1', 'a.b'],
    sink: 'http://x/',
  });
  assert.deepEqual(
    routes.map((r) => [r.cleanType, r.filter]),
    [
      [
        'sap.kyma.custom.noapp.order.created.v1',
        { filters: [{ exact: { type: 'sap.kyma.custom.noapp.order.created.v1' } }] },
      ],
      ['a.b', { filters: [{ exact: { type: 'a.b' } }] }],
    ],
  );
});

test('types that clean to the same type share one route', () => {
  const routes = routesOf({
    source: 'app',
    types: ['order-created.v1', 'ordercreated.v1'],
    sink: 'http://x/',
  });
  assert.equal(routes.length, 1);
  assert.deepEqual(routes[0]?.originalTypes, ['order-created.v1', 'ordercreated.v1']);
  const matches = compileTriggerFilter(routes[0]!.filter);
  assert.ok(matches(event({ source: 'app', type: 'order-created.v1' })));
  assert.ok(matches(event({ source: 'app', type: 'ordercreated.v1' })));
});

test('a type that cannot be cleaned is the problem', () => {
  const compiled = subscriptionRoutes(
    subscriptionSpec({
      apiVersion: 'x',
      kind: 'Subscription',
      metadata: { name: 's' },
      spec: { source: 'app', types: ['a.$.b'] },
    }),
    KYMA_EVENT_TYPE_PREFIX,
  );
  assert.match('problem' in compiled ? compiled.problem : '', /^type "a.\$.b": .*empty segment/);
});
