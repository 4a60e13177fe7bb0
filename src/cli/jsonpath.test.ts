import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonPathTemplate, TemplateError } from './jsonpath.js';

const broker = (name: string, ready: string) => ({
  kind: 'Broker',
  metadata: { name, labels: { team: 'a' } },
  status: {
    conditions: [
      { type: 'Addressable', status: 'True' },
      { type: 'Ready', status: ready },
    ],
  },
});
const list = { kind: 'List', items: [broker('one', 'True'), broker('two', 'False')] };

const cases: [template: string, value: unknown, expected: string][] = [
  ['{.metadata.name}', broker('one', 'True'), 'one'],
  ['name={.metadata.name}!', broker('one', 'True'), 'name=one!'],
  ['{.items[*].metadata.name}', list, 'one two'],
  ['{.items[0].metadata.labels}', list, '{"team":"a"}'],
  ['{.status.conditions[?(@.type=="Ready")].status}', broker('one', 'False'), 'False'],
  [
    '{range .items[*]}{.metadata.name}{"\\t"}{.status.conditions[1].status}{"\\n"}{end}',
    list,
    'one\tTrue\ntwo\tFalse\n',
  ],
  ['{.spec.missing}', broker('one', 'True'), ''],
  ['{@.kind}', broker('one', 'True'), 'Broker'],
  ['{range .items[*]}[{$.kind}]{end}', list, '[List][List]'],
  ['{"{braces}"}', {}, '{braces}'],
  ['plain text', {}, 'plain text'],
];

for (const [template, value, expected] of cases) {
  test(`jsonpath ${template}`, () => assert.equal(compileJsonPathTemplate(template)(value), expected));
}

for (const bad of ['{.metadata.name', '{range .items[*]}{.x}', '{end}', '{}']) {
  test(`jsonpath template "${bad}" is refused at compile time`, () => {
    assert.throws(() => compileJsonPathTemplate(bad), TemplateError);
  });
}
