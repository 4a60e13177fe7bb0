import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BrokerConditions,
  brokerConditionSet,
  conditionSet,
  initializeConditions,
  isReady,
  markCondition,
  namespaceConditionSet,
  readyFrom,
  setCondition,
  TriggerConditions,
  triggerConditionSet,
  READY,
  type Condition,
} from './index.js';
import { manageConditions } from './conditions.js';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:01:00Z';
const T3 = '2026-01-01T00:02:00Z';

describe('setCondition', () => {
  test('adds a condition stamped with now', () => {
    assert.deepEqual(setCondition(undefined, { type: 'Addressable', status: 'True' }, T1), [
      { type: 'Addressable', status: 'True', lastTransitionTime: T1 },
    ]);
  });

  test('keeps lastTransitionTime when the status did not change, updating reason and message', () => {
    const first = setCondition(
      [],
      { type: 'BackendReady', status: 'False', reason: 'Down', message: 'a' },
      T1,
    );
    const second = setCondition(
      first,
      { type: 'BackendReady', status: 'False', reason: 'Full', message: 'b' },
      T2,
    );
    assert.deepEqual(second, [
      { type: 'BackendReady', status: 'False', reason: 'Full', message: 'b', lastTransitionTime: T1 },
    ]);
  });

  test('moves lastTransitionTime when the status changes, and drops the old reason', () => {
    const first = setCondition([], { type: 'BackendReady', status: 'False', reason: 'Down' }, T1);
    assert.deepEqual(setCondition(first, { type: 'BackendReady', status: 'True' }, T2), [
      { type: 'BackendReady', status: 'True', lastTransitionTime: T2 },
    ]);
  });

  test('stamps now when the kept condition had no time', () => {
    const stored: Condition[] = [{ type: 'Ready', status: 'True' }];
    assert.deepEqual(setCondition(stored, { type: 'Ready', status: 'True' }, T2), [
      { type: 'Ready', status: 'True', lastTransitionTime: T2 },
    ]);
  });

  test('sorts by type with Ready first, and keeps one entry per type', () => {
    const stored: Condition[] = [
      { type: 'SubscriberResolved', status: 'True', lastTransitionTime: T1 },
      { type: 'BrokerReady', status: 'True', lastTransitionTime: T1 },
      { type: 'BrokerReady', status: 'False', lastTransitionTime: T1 },
    ];
    const result = setCondition(stored, { type: 'Ready', status: 'Unknown' }, T2);
    assert.deepEqual(
      result.map((c) => c.type),
      ['Ready', 'BrokerReady', 'SubscriberResolved'],
    );
    assert.equal(result[1]?.status, 'True');
  });

  test('does not change its input', () => {
    const stored: Condition[] = [{ type: 'Ready', status: 'False', reason: 'X', lastTransitionTime: T1 }];
    const copy = structuredClone(stored);
    setCondition(stored, { type: 'Ready', status: 'True' }, T2);
    assert.deepEqual(stored, copy);
  });

  test('omits empty reason and message', () => {
    assert.deepEqual(setCondition([], { type: 'Ready', status: 'True', reason: '', message: '' }, T1), [
      { type: 'Ready', status: 'True', lastTransitionTime: T1 },
    ]);
  });
});

describe('readyFrom (Knative condition set)', () => {
  const table: readonly { name: string; dependents: Condition[]; ready: ReturnType<typeof readyFrom> }[] = [
    { name: 'no dependents: True', dependents: [], ready: { type: 'Ready', status: 'True' } },
    {
      name: 'all True: True, without reason',
      dependents: [
        { type: 'A', status: 'True', reason: 'Fine' },
        { type: 'B', status: 'True' },
      ],
      ready: { type: 'Ready', status: 'True' },
    },
    {
      name: 'any False: False with the first False reason and message',
      dependents: [
        { type: 'A', status: 'Unknown', reason: 'Pending' },
        { type: 'B', status: 'False', reason: 'BrokerDoesNotExist', message: 'broker "default" not found' },
        { type: 'C', status: 'False', reason: 'Other', message: 'other' },
      ],
      ready: {
        type: 'Ready',
        status: 'False',
        reason: 'BrokerDoesNotExist',
        message: 'broker "default" not found',
      },
    },
    {
      name: 'Unknown and True: Unknown with the first Unknown reason',
      dependents: [
        { type: 'A', status: 'True' },
        { type: 'B', status: 'Unknown', reason: 'Resolving', message: 'in progress' },
      ],
      ready: { type: 'Ready', status: 'Unknown', reason: 'Resolving', message: 'in progress' },
    },
  ];
  for (const row of table) {
    test(row.name, () => assert.deepEqual(readyFrom(row.dependents), row.ready));
  }
});

describe('condition sets', () => {
  test('a new broker starts with its dependents Unknown and Ready Unknown', () => {
    assert.deepEqual(initializeConditions(brokerConditionSet, undefined, T1), [
      { type: 'Ready', status: 'Unknown', lastTransitionTime: T1 },
      { type: 'Addressable', status: 'Unknown', lastTransitionTime: T1 },
      { type: 'BackendReady', status: 'Unknown', lastTransitionTime: T1 },
      { type: 'EventPoliciesReady', status: 'Unknown', lastTransitionTime: T1 },
    ]);
  });

  test('a kind without dependents starts with Ready Unknown, and keeps a Ready it has', () => {
    assert.deepEqual(initializeConditions(namespaceConditionSet, [], T1), [
      { type: 'Ready', status: 'Unknown', lastTransitionTime: T1 },
    ]);
    const ready: Condition[] = [{ type: 'Ready', status: 'True', lastTransitionTime: T1 }];
    assert.deepEqual(initializeConditions(namespaceConditionSet, ready, T2), ready);
  });

  test('Ready follows the broker dependents as they are marked', () => {
    let conditions = initializeConditions(brokerConditionSet, undefined, T1);
    conditions = markCondition(
      brokerConditionSet,
      conditions,
      { type: BrokerConditions.Addressable, status: 'True' },
      T2,
    );
    assert.equal(isReady(conditions), false);
    conditions = markCondition(
      brokerConditionSet,
      conditions,
      { type: BrokerConditions.BackendReady, status: 'True' },
      T3,
    );
    assert.equal(isReady(conditions), false);
    conditions = markCondition(
      brokerConditionSet,
      conditions,
      { type: BrokerConditions.EventPoliciesReady, status: 'True' },
      T3,
    );
    assert.equal(isReady(conditions), true);
    assert.deepEqual(conditions[0], { type: 'Ready', status: 'True', lastTransitionTime: T3 });
  });

  test('a trigger whose broker does not exist is not Ready, with the reason BrokerDoesNotExist', () => {
    let conditions = markCondition(
      triggerConditionSet,
      undefined,
      { type: TriggerConditions.SubscriberResolved, status: 'True' },
      T1,
    );
    conditions = markCondition(
      triggerConditionSet,
      conditions,
      {
        type: TriggerConditions.BrokerReady,
        status: 'False',
        reason: 'BrokerDoesNotExist',
        message: 'no broker',
      },
      T1,
    );
    assert.deepEqual(conditions[0], {
      type: 'Ready',
      status: 'False',
      reason: 'BrokerDoesNotExist',
      message: 'no broker',
      lastTransitionTime: T1,
    });
  });

  test('a dependent never marked counts as Unknown', () => {
    const conditions = markCondition(
      triggerConditionSet,
      undefined,
      { type: TriggerConditions.BrokerReady, status: 'True' },
      T1,
    );
    assert.equal(conditions.find((c) => c.type === 'Ready')?.status, 'Unknown');
    assert.equal(conditions.length, 2);
  });

  test('marking Ready directly on a kind without dependents sets only Ready', () => {
    const conditions = markCondition(
      namespaceConditionSet,
      undefined,
      { type: 'Ready', status: 'False', reason: 'PersistenceInvalid' },
      T1,
    );
    assert.deepEqual(conditions, [
      { type: 'Ready', status: 'False', reason: 'PersistenceInvalid', lastTransitionTime: T1 },
    ]);
  });
});

describe('manageConditions: the only way reconcilers set conditions', () => {
  const set = conditionSet(['A', 'B'], ['Paused']);
  const now = '2026-01-01T00:00:00Z';
  const statusOf = (conditions: readonly Condition[], type: string): string | undefined =>
    conditions.find((c) => c.type === type)?.status;

  test('Ready follows the dependents as they are marked, with the first False one as its reason', () => {
    const m = manageConditions(set, undefined, now);
    assert.equal(m.ready?.status, 'Unknown');
    m.markTrue('A', 'Fine');
    m.markFalse('B', 'Broken', 'b is broken');
    assert.deepEqual(
      { status: m.ready?.status, reason: m.ready?.reason, message: m.ready?.message },
      { status: 'False', reason: 'Broken', message: 'b is broken' },
    );
    m.markTrue('B', 'Fine');
    assert.equal(m.ready?.status, 'True');
  });

  test('an optional dependent counts only while present; clearing it re-derives Ready', () => {
    const m = manageConditions(set, undefined, now);
    m.markTrue('A');
    m.markTrue('B');
    m.markFalse('Paused', 'Paused', 'paused');
    assert.equal(m.ready?.reason, 'Paused');
    m.clear('Paused');
    assert.equal(m.ready?.status, 'True');
    assert.equal(statusOf(m.conditions, 'Paused'), undefined);
  });

  test('Ready is never marked directly in a set with dependents, nor a type outside the set', () => {
    const m = manageConditions(set, undefined, now);
    assert.throws(() => m.markTrue(READY), /Ready is not marked directly/);
    assert.throws(() => m.markTrue('C'), /C is not marked directly/);
    assert.throws(() => m.clear('A'), /A is not optional/);
  });

  test('a set without dependents marks Ready itself', () => {
    const m = manageConditions(conditionSet([]), undefined, now);
    m.markFalse(READY, 'Missing', 'x');
    assert.equal(m.ready?.status, 'False');
    m.markTrue(READY);
    assert.deepEqual(
      m.conditions.map((c) => c.type),
      [READY],
    );
  });
});
