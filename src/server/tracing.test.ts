import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tracesEndpoint } from './tracing.js';

test('the OTEL_* variables decide whether and where traces go', () => {
  const cases: [Record<string, string>, string | undefined][] = [
    [{}, undefined],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'http://collector:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'http://collector:4318/v1/traces'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b/traces' },
      'http://b/traces',
    ],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, 'http://localhost:4318/v1/traces'],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318' }, undefined],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318' }, undefined],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_EXPORTER: 'otlp' },
      'http://localhost:4318/v1/traces',
    ],
  ];
  for (const [env, expected] of cases) assert.equal(tracesEndpoint(env), expected, JSON.stringify(env));
});

test('an exporter or protocol cemesh does not have is refused, not ignored', () => {
  assert.throws(() => tracesEndpoint({ OTEL_TRACES_EXPORTER: 'zipkin' }), /zipkin.*not supported/);
  assert.throws(
    () => tracesEndpoint({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    /grpc.*not supported/,
  );
});
