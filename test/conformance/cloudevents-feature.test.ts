// The scenarios of cloudevents/conformance features/http-protocol-binding.feature, read as data: the Gherkin
// file is parsed here (outlines, doc strings, tables, examples) and each example is run against the codec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  decodeHttpRequest,
  encodeBinary,
  encodeStructured,
  type CloudEvent,
} from '../../src/core/cloudevents/index.js';
import { conformancePath } from '../support/conformance.js';

const featureFile = conformancePath(
  'http-protocol-binding.feature',
  'cloudevents-conformance/features/http-protocol-binding.feature',
);

interface Step {
  readonly text: string;
  docString?: string;
  table?: string[][];
}

interface Scenario {
  readonly name: string;
  readonly steps: Step[];
  examples: string[][];
}

const cells = (line: string) =>
  line
    .trim()
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());

function parseFeature(text: string): Scenario[] {
  const scenarios: Scenario[] = [];
  const lines = text.split('\n');
  let scenario: Scenario | undefined;
  let inExamples = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    const outline = /^Scenario(?: Outline)?:\s*(.*)$/.exec(trimmed);
    if (outline) {
      scenario = { name: outline[1] ?? '', steps: [], examples: [] };
      scenarios.push(scenario);
      inExamples = false;
    } else if (!scenario) {
      continue;
    } else if (/^(Given|When|Then|And|But)\b/.test(trimmed)) {
      scenario.steps.push({ text: trimmed });
      inExamples = false;
    } else if (trimmed === 'Examples:') {
      inExamples = true;
    } else if (trimmed.startsWith('"""')) {
      // A doc string's lines lose the indentation of its opening delimiter (Gherkin reference).
      const indent = line.indexOf('"""');
      const body: string[] = [];
      for (i++; i < lines.length && (lines[i] ?? '').trim() !== '"""'; i++)
        body.push((lines[i] ?? '').slice(indent));
      const step = scenario.steps[scenario.steps.length - 1];
      if (step) step.docString = body.join('\n');
    } else if (trimmed.startsWith('|')) {
      if (inExamples) scenario.examples.push(cells(trimmed));
      else {
        const step = scenario.steps[scenario.steps.length - 1];
        if (step) (step.table ??= []).push(cells(trimmed));
      }
    }
  }
  return scenarios;
}

function parseHttpRequest(text: string): { headers: Record<string, string>; body: Uint8Array } {
  const [head = '', ...rest] = text.split('\n\n');
  const headers: Record<string, string> = {};
  for (const line of head.split('\n').slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: new TextEncoder().encode(rest.join('\n\n')) };
}

const substitute = (text: string, values: Record<string, string>) =>
  text.replace(/<([^>]+)>/g, (whole, key: string) => values[key] ?? whole);

if (featureFile !== undefined) {
  const scenarios = parseFeature(readFileSync(featureFile, 'utf8'));

  test('the feature file has its two scenario outlines with two examples each', () => {
    assert.deepEqual(
      scenarios.map((s) => [s.name, s.examples.length - 1]),
      [
        ['Binary content mode (<contentType>)', 2],
        ['Structured content mode (<contentType>)', 2],
      ],
    );
  });

  for (const scenario of scenarios) {
    const [columns = [], ...rows] = scenario.examples;
    for (const row of rows) {
      const values = Object.fromEntries(columns.map((column, i) => [column, row[i] ?? '']));
      test(substitute(scenario.name, values), () => {
        const step = (prefix: string) => {
          const found = scenario.steps.find((s) => s.text.startsWith(prefix));
          assert.ok(found, `step '${prefix}'`);
          return found;
        };
        const request = parseHttpRequest(substitute(step('Given an HTTP request').docString ?? '', values));
        const decoded = decodeHttpRequest(request.headers, request.body);
        assert.equal(decoded.events.length, 1);
        const event = decoded.events[0] as CloudEvent;

        const [, ...attributeRows] = step('Then the attributes are').table ?? [];
        const expected = Object.fromEntries(
          attributeRows.map(([key = '', value = '']) => [key, substitute(value, values)]),
        );
        assert.deepEqual(event.attributes, expected);
        const data = JSON.parse(new TextDecoder().decode(event.data)) as unknown;
        assert.deepEqual(
          data,
          JSON.parse(step('And the data is equal to the following JSON').docString ?? ''),
        );

        // And back: the event encodes in either mode to a request that decodes to the same event.
        for (const encoded of [encodeBinary(event), encodeStructured(event)]) {
          const again = decodeHttpRequest(encoded.headers, encoded.body ?? new Uint8Array())
            .events[0] as CloudEvent;
          assert.deepEqual(again.attributes, expected);
          assert.deepEqual(JSON.parse(new TextDecoder().decode(again.data)), data);
        }
      });
    }
  }
}
