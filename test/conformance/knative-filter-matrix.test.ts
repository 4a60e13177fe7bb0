// The filter matrix of Knative's new-trigger-filters e2e feature, transcribed in the conformance data
// (knative-eventing/DERIVED), run through the compiled predicate and the trigger index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AttributeValue, CloudEvent } from '../../src/core/cloudevents/model.js';
import {
  compileTriggerFilter,
  TriggerIndex,
  validateTriggerFilters,
  type TriggerFilterSpec,
} from '../../src/core/filters/index.js';
import { conformancePath } from '../support/conformance.js';

/** The Knative e2e tests' MinEvent, with `attributes` overriding or (when undefined) removing attributes. */
function event(attributes: Record<string, AttributeValue | undefined> = {}): CloudEvent {
  const merged: Record<string, AttributeValue | undefined> = {
    specversion: '1.0',
    id: 'e-1',
    type: 'com.example.MinEvent',
    source: 'http://example.com/source',
    ...attributes,
  };
  const present = Object.entries(merged).filter(
    (pair): pair is [string, AttributeValue] => pair[1] !== undefined,
  );
  return { attributes: Object.fromEntries(present) };
}

interface ScenarioEvent {
  type?: string;
  source?: string;
  extensions?: Record<string, string>;
  deliver: boolean;
}
interface Scenario {
  name: string;
  filters?: unknown[];
  filter?: { attributes?: Record<string, string> };
  events?: ScenarioEvent[];
  triggers?: { name: string; filters?: unknown[]; events: ScenarioEvent[] }[];
}
const matrixFile = conformancePath(
  'Knative filter matrix',
  'knative-eventing/DERIVED/new-trigger-filters-scenarios.yaml',
);
const matrix = (matrixFile ? parse(readFileSync(matrixFile, 'utf8')) : { scenarios: [] }) as {
  scenarios: Scenario[];
};

function scenarioEvent(e: ScenarioEvent): CloudEvent {
  return event({ type: e.type, source: e.source, ...e.extensions });
}

if (matrixFile) {
  test('the Knative filter matrix has the scenarios this suite expects', () => {
    assert.equal(matrix.scenarios.length, 12);
  });
}

for (const scenario of matrix.scenarios) {
  if (scenario.triggers !== undefined) continue;
  const spec: TriggerFilterSpec = {
    filters: scenario.filters ?? [],
    ...(scenario.filter ? { filter: scenario.filter } : {}),
  };
  test(`Knative matrix: ${scenario.name}`, () => {
    assert.deepEqual(validateTriggerFilters(spec), []);
    const predicate = compileTriggerFilter(spec);
    const index = new TriggerIndex<string>();
    index.set('trigger', spec, 'trigger');
    for (const e of scenario.events ?? []) {
      const ce = scenarioEvent(e);
      assert.equal(predicate(ce), e.deliver, `predicate, ${JSON.stringify(e)}`);
      assert.deepEqual(index.match(ce), e.deliver ? ['trigger'] : [], `index, ${JSON.stringify(e)}`);
    }
  });
}

for (const scenario of matrix.scenarios) {
  if (scenario.triggers === undefined) continue;
  const triggers = scenario.triggers;
  test(`Knative matrix: ${scenario.name}`, () => {
    const index = new TriggerIndex<string>();
    for (const trigger of triggers) {
      const spec = { filters: trigger.filters ?? [] };
      assert.deepEqual(validateTriggerFilters(spec), []);
      index.set(trigger.name, spec, trigger.name);
    }
    const expected = new Map<string, Set<string>>();
    for (const trigger of triggers) {
      for (const e of trigger.events) {
        const key = JSON.stringify(e.type);
        const names = expected.get(key) ?? new Set<string>();
        if (e.deliver) names.add(trigger.name);
        expected.set(key, names);
      }
    }
    for (const [type, names] of expected) {
      const got = index.match(event({ type: JSON.parse(type) as string })).sort();
      assert.deepEqual(got, [...names].sort(), `event type ${type}`);
    }
  });
}
