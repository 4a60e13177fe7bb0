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

test('listener limits have documented defaults and come from flags, environment or file', () => {
  assert.deepEqual(parseServerConfig({}, {}).limits, {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 65_000,
    maxConnections: 4096,
    maxConnectionsPerClient: 512,
    maxHeaderBytes: 16_384,
  });
  const limits = parseServerConfig(
    { headersTimeout: 'PT5S', maxConnections: '100' },
    { CEMESH_MAX_CONNECTIONS_PER_CLIENT: '10' },
    'keepAliveTimeout: PT1S\nmaxHeaderBytes: 8192\n',
  ).limits;
  assert.equal(limits.headersTimeoutMs, 5000);
  assert.equal(limits.maxConnections, 100);
  assert.equal(limits.maxConnectionsPerClient, 10);
  assert.equal(limits.keepAliveTimeoutMs, 1000);
  assert.equal(limits.maxHeaderBytes, 8192);
});

const badLimits: [flags: Record<string, unknown>, message: RegExp][] = [
  [{ headersTimeout: '10' }, /headersTimeout: must be a positive ISO-8601 duration/],
  [{ requestTimeout: 'PT0S' }, /requestTimeout: must be a positive/],
  [{ requestTimeout: 'PT5S' }, /must not be shorter than headersTimeout/],
  [{ maxConnections: '0' }, /maxConnections: must be a positive integer/],
  [{ maxHeaderBytes: 'lots' }, /maxHeaderBytes: must be a positive integer/],
];

for (const [flags, message] of badLimits) {
  test(`listener limits ${JSON.stringify(flags)} are refused`, () => {
    assert.throws(() => parseServerConfig(flags, {}), message);
  });
}

test('--tls-cert and --tls-key go together; --subscriber-allow takes CIDRs', () => {
  assert.deepEqual(parseServerConfig({ tlsCert: 'c.pem', tlsKey: 'k.pem' }, {}).tls, {
    certFile: 'c.pem',
    keyFile: 'k.pem',
  });
  assert.equal(parseServerConfig({}, {}).tls, undefined);
  assert.throws(() => parseServerConfig({ tlsCert: 'c.pem' }, {}), /go together/);
  assert.deepEqual(parseServerConfig({ subscriberAllow: ['10.0.0.0/8', 'fd00::/8'] }, {}).subscriberAllow, [
    '10.0.0.0/8',
    'fd00::/8',
  ]);
  assert.throws(
    () => parseServerConfig({ subscriberAllow: 'ten' }, {}),
    /subscriberAllow: "ten" is not an IP/,
  );
});

test("eventTypePrefix: Kyma's by default, a dotted prefix of letters and digits, refused otherwise", () => {
  assert.equal(parseServerConfig({}, {}).eventTypePrefix, 'sap.kyma.custom');
  assert.equal(
    parseServerConfig({}, { CEMESH_EVENT_TYPE_PREFIX: 'acme.events' }).eventTypePrefix,
    'acme.events',
  );
  for (const bad of ['acme..events', 'acme-events', '.acme'])
    assert.throws(
      () => parseServerConfig({ eventTypePrefix: bad }, {}),
      /eventTypePrefix: .* separated by dots/,
    );
});

test('--nats-ack-wait and --nats-claim-ttl are durations of at least a second, unset by default', () => {
  const none = parseServerConfig({}, {});
  assert.deepEqual([none.natsAckWaitMs, none.natsClaimTtlMs], [undefined, undefined]);
  const set = parseServerConfig({ natsAckWait: 'PT5S' }, { CEMESH_NATS_CLAIM_TTL: 'PT3S' });
  assert.deepEqual([set.natsAckWaitMs, set.natsClaimTtlMs], [5_000, 3_000]);
  for (const natsAckWait of ['PT0S', 'PT0.5S', '5s']) {
    assert.throws(() => parseServerConfig({ natsAckWait }, {}), /natsAckWait: must be/);
  }
});
