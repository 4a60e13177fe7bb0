import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cleanEventType,
  cleanSource,
  cleanTypeSegments,
  KYMA_EVENT_TYPE_PREFIX,
  splitVersion,
} from './event-type.js';

// Rows follow eventing-manager's and eventing-publisher-proxy's cleaner tests.
test('cleanSource keeps ASCII letters and digits only', () => {
  const rows: [string, string][] = [
    ['commerce', 'commerce'],
    ['my-app_1', 'myapp1'],
    ['t..e--s__t!!a@@p##p%%', 'testapp'],
    ['Ä-app', 'app'],
    ['---', ''],
  ];
  for (const [given, want] of rows) assert.equal(cleanSource(given), want, given);
});

test('cleanTypeSegments merges segments beyond three and strips the rest', () => {
  const rows: [string, string][] = [
    ['order.created.v1', 'order.created.v1'],
    ['o-rder.creat ed.v1', 'order.created.v1'],
    ['Account.Root.Created.v1', 'AccountRoot.Created.v1'],
    ['haha.hehe.hmm.order.created.v1', 'hahahehehmmorder.created.v1'],
    ['Segment1-Part1-Ä.Segment2-Part2-Ä.v1', 'Segment1Part1.Segment2Part2.v1'],
    ['order.created', 'order.created'],
  ];
  for (const [given, want] of rows) assert.equal(cleanTypeSegments(given), want, given);
});

test('cleanEventType builds <prefix>.<source>.<type>, or says why it cannot', () => {
  const p = KYMA_EVENT_TYPE_PREFIX;
  const rows: [string, string, string, string | RegExp][] = [
    [p, 'commerce', 'order.created.v1', 'sap.kyma.custom.commerce.order.created.v1'],
    [p, 'my-app', 'Account.Root.Created.v1', 'sap.kyma.custom.myapp.AccountRoot.Created.v1'],
    ['one.two.three', 'source1', 'o-rder.creat ed.v1', 'one.two.three.source1.order.created.v1'],
    ['', 'app', 'order.created.v1', 'app.order.created.v1'],
    [p, '--', 'order.created.v1', /no letter or digit/],
    [p, 'app', 'order..v1', /empty segment/],
    [p, 'app', 'order.$$$.v1', /"sap.kyma.custom.app.order..v1" has an empty segment/],
  ];
  for (const [prefix, source, type, want] of rows) {
    const cleaned = cleanEventType(prefix, source, type);
    if (typeof want === 'string') assert.deepEqual(cleaned, { type: want }, `${source} ${type}`);
    else assert.match('problem' in cleaned ? cleaned.problem : '', want, `${source} ${type}`);
  }
});

test('splitVersion splits at the last dot', () => {
  assert.deepEqual(splitVersion('order.created.v1'), { name: 'order.created', version: 'v1' });
  assert.deepEqual(splitVersion('a.b'), { name: 'a', version: 'b' });
  for (const bad of ['order', '.v1', 'order.']) assert.equal(splitVersion(bad), undefined, bad);
});
