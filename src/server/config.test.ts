import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseServerConfig } from './config.js';

const advertised: { given: string | undefined; expected: string | undefined }[] = [
  { given: undefined, expected: undefined },
  { given: '', expected: undefined },
  { given: 'http://events.example.com', expected: 'http://events.example.com' },
  { given: 'https://events.example.com:8443/', expected: 'https://events.example.com:8443' },
  { given: 'http://lb.internal/cemesh/', expected: 'http://lb.internal/cemesh' },
];

for (const { given, expected } of advertised) {
  test(`advertiseUrl ${JSON.stringify(given)} -> ${JSON.stringify(expected)}`, () => {
    assert.equal(parseServerConfig({ advertiseUrl: given }, {}).advertiseUrl, expected);
  });
}

const refused: { given: string; message: RegExp }[] = [
  { given: 'events.example.com', message: /not an absolute URL/ },
  { given: 'ftp://events.example.com', message: /http or https/ },
  { given: 'http://events.example.com/?x=1', message: /no query or fragment/ },
];

for (const { given, message } of refused) {
  test(`advertiseUrl ${given} is refused`, () => {
    assert.throws(
      () => parseServerConfig({ advertiseUrl: given }, {}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

test('advertiseUrl comes from the environment and the config file too', () => {
  assert.equal(
    parseServerConfig({}, { CEMESH_ADVERTISE_URL: 'http://from-env' }).advertiseUrl,
    'http://from-env',
  );
  assert.equal(
    parseServerConfig({}, {}, 'advertiseUrl: http://from-file\n').advertiseUrl,
    'http://from-file',
  );
});
