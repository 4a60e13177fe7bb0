/**
 * OpenTelemetry tracing from the standard environment variables
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/), exported with OTLP
 * over HTTP (JSON). Tracing is on when an OTLP endpoint is named (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp` asks for the default one
 * (http://localhost:4318); `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turn it off. Off, no
 * SDK is loaded and the data plane makes no span objects.
 *
 * The SDK reads the rest itself: the sampler (`OTEL_TRACES_SAMPLER[_ARG]`, parent-based always-on by
 * default), batching (`OTEL_BSP_*`), the exporter's headers, timeout and compression
 * (`OTEL_EXPORTER_OTLP_[TRACES_]HEADERS|TIMEOUT|COMPRESSION`), and the resource (`OTEL_SERVICE_NAME`,
 * default `cemesh`; `OTEL_RESOURCE_ATTRIBUTES`).
 */
import type { Tracer } from '@opentelemetry/api';
import { ConfigError } from './config.js';

export interface ServerTracing {
  /** Undefined when tracing is off. */
  readonly tracer: Tracer | undefined;
  /** Exports what is buffered and stops (bounded by the exporter's timeout). */
  shutdown(): Promise<void>;
}

const OFF: ServerTracing = { tracer: undefined, shutdown: () => Promise.resolve() };

/** The OTLP/HTTP traces URL the environment names; undefined when tracing is off. Pure, table-tested. */
export function tracesEndpoint(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return undefined;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  if (exporters.includes('none')) return undefined;
  const unsupported = exporters.filter((e) => e !== 'otlp');
  if (unsupported.length > 0) {
    throw new ConfigError(
      `OTEL_TRACES_EXPORTER: "${unsupported.join(',')}" is not supported; cemesh exports with otlp (or none)`,
    );
  }
  const protocol = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'];
  if (protocol !== undefined && protocol.trim() !== '' && protocol.trim() !== 'http/json') {
    throw new ConfigError(
      `OTEL_EXPORTER_OTLP_PROTOCOL: "${protocol}" is not supported; cemesh sends http/json`,
    );
  }
  const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  if (traces) return traces;
  // The generic endpoint is a base URL: the signal's path is appended (OTLP exporter spec).
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`;
  return exporters.includes('otlp') ? 'http://localhost:4318/v1/traces' : undefined;
}

/** Starts the SDK when the environment asks for tracing; loads nothing otherwise. */
export async function startTracing(
  env: Readonly<Record<string, string | undefined>>,
): Promise<ServerTracing> {
  const url = tracesEndpoint(env);
  if (url === undefined) return OFF;
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const detected = resources.detectResources({ detectors: [resources.envDetector] });
  const resource = resources
    .resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] ?? 'cemesh' })
    .merge(detected);
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  return {
    tracer: provider.getTracer('cemesh'),
    shutdown: () => provider.shutdown(),
  };
}
