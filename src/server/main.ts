/** `cemesh serve`: parse the configuration once, start everything, drain on SIGTERM. */
import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { parseServerConfig } from './config.js';
import { noAllocationSitePretenuring } from './pretenuring.js';
import { startServer } from './server.js';
import { startTracing } from './tracing.js';
import { wasmBaselineOnly } from './wasm-baseline.js';

export async function serve(flags: Readonly<Record<string, unknown>>): Promise<void> {
  wasmBaselineOnly();
  noAllocationSitePretenuring();
  const configFile = flags['config'] ?? process.env['CEMESH_CONFIG'];
  const fileText = typeof configFile === 'string' ? await readFile(configFile, 'utf8') : undefined;
  const config = parseServerConfig(flags, process.env, fileText);
  // Logs go to stderr, so stdout carries only the ready line that scripts wait for.
  const logger = pino({ name: 'cemesh', level: config.logLevel }, pino.destination(2));
  const tracing = await startTracing(process.env);
  const server = await startServer(config, logger, {
    tracing,
    logLevel: {
      get: () => logger.level,
      set: (level) => {
        logger.level = level;
      },
    },
  });
  logger.info({ listener: 'ingress', url: server.ingressUrl }, 'listening');
  logger.info({ listener: 'admin', url: server.adminUrl }, 'listening');
  logger.info({ listener: 'gateway', url: server.gatewayUrl }, 'listening');
  logger.info({ dataDir: config.dataDir, backend: config.backend }, 'ready');
  console.log(
    `cemesh ready: ingress=${server.ingressUrl} admin=${server.adminUrl} gateway=${server.gatewayUrl}`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    server.close().then(
      () => {
        logger.info({}, 'stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
