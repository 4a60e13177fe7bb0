// Every request case of cloudevents/conformance (yaml/**/*.yaml), read as data: the request is built from the
// case as a conforming producer would send it, decoded, compared with the case's event, and encoded back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { MeshError } from '../../src/core/errors.js';
import {
  decodeHttpRequest,
  encodeBinary,
  encodeHeaderValue,
  encodeStructured,
  isJsonMediaType,
  type CloudEvent,
} from '../../src/core/cloudevents/index.js';
import { conformancePath } from '../support/conformance.js';

const root = conformancePath('cloudevents/conformance YAML cases', 'cloudevents-conformance/yaml');
const utf8 = new TextEncoder();

interface Case {
  readonly file: string;
  readonly index: number;
  readonly mode: 'binary' | 'structured' | undefined;
  readonly attributes: Record<string, string>;
  readonly transport: Record<string, string>;
  readonly data: string | undefined;
}

// README pitfall: `specversion: 1.0` loads as the number 1 (and 0.3 as 0.3); the spec's value is the string.
function asAttributeString(name: string, value: unknown): string {
  if (name === 'specversion' && typeof value === 'number')
    return Number.isInteger(value) ? value.toFixed(1) : String(value);
  return String(value);
}

function loadCases(root: string): Case[] {
  const files = readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const cases: Case[] = [];
  for (const file of files) {
    parseAllDocuments(readFileSync(join(root, file), 'utf8')).forEach((doc, index) => {
      const raw = doc.toJS() as Record<string, unknown>;
      const context = raw.ContextAttributes as Record<string, unknown>;
      const attributes: Record<string, string> = {};
      for (const [name, value] of Object.entries(context)) {
        if (name === 'Extensions') {
          for (const [ext, v] of Object.entries(value as Record<string, unknown>))
            attributes[ext] = String(v);
        } else attributes[name] = asAttributeString(name, value);
      }
      const transport = Object.fromEntries(
        Object.entries((raw.TransportExtensions ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k.toLowerCase(),
          String(v),
        ]),
      );
      const mode = raw.Mode === undefined ? undefined : (String(raw.Mode) as Case['mode']);
      const data = raw.Data === undefined ? undefined : String(raw.Data);
      cases.push({ file, index, mode, attributes, transport, data });
    });
  }
  return cases;
}

if (root !== undefined) {
  const cases = loadCases(root);

  function binaryRequest(c: Case, attributes: Record<string, string>) {
    const headers: Record<string, string> = { ...c.transport };
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'datacontenttype') headers['content-type'] = value;
      else headers[`ce-${name}`] = encodeHeaderValue(value); // HTTP binding 3.1.3.2: producers percent-encode.
    }
    return { headers, body: c.data === undefined ? new Uint8Array() : utf8.encode(c.data) };
  }

  function isJsonData(attributes: Record<string, string>): boolean {
    const type = attributes.datacontenttype;
    return type === undefined || isJsonMediaType(type);
  }

  function structuredObject(c: Case, attributes: Record<string, string>): Record<string, unknown> {
    const object: Record<string, unknown> = { ...attributes };
    // JSON format 3.1.1: JSON content is a JSON value in `data`, other text a string.
    if (c.data !== undefined) object.data = isJsonData(attributes) ? JSON.parse(c.data) : c.data;
    return object;
  }

  function expectedEvent(
    c: Case,
    attributes: Record<string, string>,
    mode: 'binary' | 'structured',
  ): CloudEvent {
    if (c.data === undefined) return { attributes };
    if (mode === 'binary') return { attributes, data: utf8.encode(c.data) };
    const text = isJsonData(attributes) ? JSON.stringify(JSON.parse(c.data)) : c.data;
    return { attributes, data: utf8.encode(text) };
  }

  function decodeCase(c: Case, attributes: Record<string, string>, mode: 'binary' | 'structured') {
    if (mode === 'binary') {
      const { headers, body } = binaryRequest(c, attributes);
      return decodeHttpRequest(headers, body);
    }
    const headers = { ...c.transport, 'content-type': 'application/cloudevents+json; charset=utf-8' };
    return decodeHttpRequest(headers, utf8.encode(JSON.stringify(structuredObject(c, attributes))));
  }

  /** String attributes MUST NOT hold control characters; these are the ones a case's values break. */
  function controlCharacterAttributes(attributes: Record<string, string>): string[] {
    const isControl = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f);
    return Object.keys(attributes).filter((name) =>
      [...(attributes[name] ?? '')].some((ch) => isControl(ch.charCodeAt(0))),
    );
  }

  /** YAML `|` block scalars end with a line break that the case's authors did not mean as part of the value. */
  function withoutBlockScalarBreaks(attributes: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v.replace(/\n$/, '')]));
  }

  test('the conformance YAML cases are all found', () => {
    assert.equal(cases.length, 15);
    assert.equal(cases.filter((c) => c.attributes.specversion === '0.3').length, 7);
  });

  for (const c of cases) {
    const modes = c.mode === undefined ? (['binary', 'structured'] as const) : [c.mode];
    for (const mode of modes) {
      const name = `${c.file}#${c.index} (${c.attributes.id}, ${mode})`;

      if (c.attributes.specversion !== '1.0') {
        test(`${name}: version ${c.attributes.specversion} is rejected with MESH_SPECVERSION_UNSUPPORTED`, () => {
          assert.throws(
            () => decodeCase(c, c.attributes, mode),
            (error: unknown) =>
              error instanceof MeshError &&
              error.code === 'MESH_SPECVERSION_UNSUPPORTED' &&
              error.message.includes(`'${c.attributes.specversion}'`) &&
              error.message.includes('1.0'),
          );
        });
        continue;
      }

      const broken = controlCharacterAttributes(c.attributes);
      if (broken.length > 0) {
        test(`${name}: String values MUST NOT contain control characters (the YAML value ends in a line break)`, () => {
          assert.throws(
            () => decodeCase(c, c.attributes, mode),
            (error: unknown) =>
              error instanceof MeshError &&
              error.code === 'MESH_EVENT_INVALID' &&
              broken.includes(error.details.attribute ?? '') &&
              error.details.rule === 'type:String',
          );
        });
      }

      const attributes = broken.length > 0 ? withoutBlockScalarBreaks(c.attributes) : c.attributes;
      test(`${name}: decodes to the case's event and encodes back`, () => {
        const decoded = decodeCase(c, attributes, mode);
        assert.equal(decoded.mode, mode);
        const expected = expectedEvent(c, attributes, mode);
        assert.deepEqual(decoded.events, [expected]);
        const event = decoded.events[0] as CloudEvent;
        for (const header of Object.keys(c.transport)) assert.equal(event.attributes[header], undefined);

        if (mode === 'binary') {
          const { headers, body } = binaryRequest(c, attributes);
          for (const header of Object.keys(c.transport)) delete headers[header];
          const encoded = encodeBinary(event);
          assert.deepEqual(encoded.headers, headers);
          assert.deepEqual(encoded.body ?? new Uint8Array(), body);
        } else {
          const encoded = encodeStructured(event);
          assert.deepEqual(
            JSON.parse(new TextDecoder().decode(encoded.body)),
            structuredObject(c, attributes),
          );
          assert.deepEqual(decodeHttpRequest(encoded.headers, encoded.body).events, [expected]);
        }
      });
    }
  }

  test('every binary case also survives binary -> model -> structured -> model', () => {
    for (const c of cases.filter((x) => x.attributes.specversion === '1.0')) {
      const event = decodeCase(c, withoutBlockScalarBreaks(c.attributes), 'binary').events[0] as CloudEvent;
      const structured = encodeStructured(event);
      const again = decodeHttpRequest(structured.headers, structured.body).events[0] as CloudEvent;
      assert.deepEqual(again.attributes, event.attributes);
      if (isJsonData(c.attributes) && c.data !== undefined) {
        assert.deepEqual(JSON.parse(new TextDecoder().decode(again.data)), JSON.parse(c.data));
      } else {
        assert.deepEqual(again.data, event.data);
      }
    }
  });
}
