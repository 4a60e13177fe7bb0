/**
 * The entry of one function replica: a child process that loads the user's module and serves it over HTTP on
 * a loopback port, with Kyma's Node.js runtime contract (kyma-project/serverless, components/runtimes/nodejs*):
 * `main(event, context)`, the event helpers, `FUNC_TIMEOUT` (default 180 s) per call, a thrown error as 500.
 *
 * It runs under Node's permission model (the host grants reads of this folder, the function's folder and its
 * dependencies, writes to a temp folder only), so it imports only node built-ins and its siblings. It talks to
 * the host over the IPC channel: `ready` with its port, `load-error`, a heartbeat (a blocked event loop stops
 * it, and the host ends the replica), and console output tagged with the id of the event being handled.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { publishEvent } from './publish.js';
import { eventFields, headerValue } from './kyma-event.js';
import {
  emittedEvent,
  errorResponse,
  planResponse,
  responseCloudEvent,
  type ResponsePlan,
} from './kyma-response.js';
import type { ChildConfig, ChildMessage } from './protocol.js';

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const timeoutMs = Number(process.env['FUNC_TIMEOUT'] ?? '180') * 1000;
const bodyLimit = Number(process.env['REQ_MB_LIMIT'] ?? '1') * 1024 * 1024;
const currentEvent = new AsyncLocalStorage<string | undefined>();

function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

// Console output goes to the host with the id of the event being handled (cemesh logs function NAME).
for (const [method, stream] of [
  ['log', 'stdout'],
  ['info', 'stdout'],
  ['debug', 'stdout'],
  ['warn', 'stderr'],
  ['error', 'stderr'],
] as const) {
  console[method] = (...args: unknown[]): void => {
    const id = currentEvent.getStore();
    send({ t: 'log', stream, text: format(...args), ...(id === undefined ? {} : { id }) });
  };
}
// As in Kyma's runtime: an error thrown in a callback of user code is logged, the replica goes on serving.
process.on('uncaughtException', (error) => console.error(`Caught exception: ${String(error)}`));
// The host is gone (crashed or killed): a replica never outlives it.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

type Main = (event: unknown, context: unknown, callback?: unknown) => unknown;

async function loadMain(): Promise<Main> {
  const module = (await import(pathToFileURL(config.handlerPath).href)) as {
    main?: unknown;
    default?: { main?: unknown };
  };
  // A CommonJS `module.exports = { main }` is the default export when Node cannot see the name statically.
  const main = module.main ?? module.default?.main;
  if (typeof main !== 'function') {
    throw new Error(
      'handler.js does not export a function named main (module.exports = { main } or export function main)',
    );
  }
  return main as Main;
}

let main: Main;
try {
  main = await loadMain();
} catch (error) {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  send({ t: 'load-error', message: text.split('\n').slice(0, 8).join('\n') });
  process.exit(3);
}

const context = {
  'function-name': config.name,
  namespace: config.namespace,
  runtime: config.runtime,
  timeout: timeoutMs / 1000,
  'body-size-limit': bodyLimit / 1024 / 1024,
};

function write(res: ServerResponse, plan: ResponsePlan): void {
  if (res.writableEnded || res.headersSent) return;
  res.statusCode = plan.status;
  for (const [name, value] of Object.entries(plan.headers)) res.setHeader(name, value);
  res.end(plan.body);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimit) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) {
    write(res, { status: 413, headers: {}, body: Buffer.from('request body too large') });
    return;
  }
  const fields = eventFields(req.headers, body);
  const preset: { status?: number; contentType?: string } = {};
  const requestWithBody = Object.assign(req, { body: fields['data'] });
  const event = {
    ...fields,
    extensions: { request: requestWithBody, response: res },
    setResponseHeader: (name: string, value: string) => res.setHeader(name, value),
    setResponseContentType: (type: string) => (preset.contentType = type),
    setResponseStatus: (status: number) => (preset.status = status),
    emitCloudEvent: (type: unknown, source: unknown, data: unknown, attributes?: unknown) =>
      publishEvent(
        config.publishUrl,
        config.publishAuthorization,
        emittedEvent(type, source, data, attributes, { id: randomUUID(), time: new Date().toISOString() }),
      ),
    buildResponseCloudEvent: (id: unknown, type: unknown, data: unknown) =>
      responseCloudEvent(fields, id, type, data),
  };
  // Kyma's third argument: answer directly, with a body, a status and headers.
  const sendResponse = (result: unknown, status?: number, headers?: Record<string, string>): void => {
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    write(res, planResponse(result, { ...preset, ...(status === undefined ? {} : { status }) }));
  };
  const timer = setTimeout(() => {
    console.error(`function timed out after ${timeoutMs / 1000} s (FUNC_TIMEOUT)`);
    write(res, { status: 408, headers: {}, body: Buffer.from('function timed out') });
  }, timeoutMs);
  try {
    const id = headerValue(req.headers, 'ce-id') ?? (fields['ce-id'] as string | undefined);
    const result = await currentEvent.run(id, () => main(event, context, sendResponse));
    write(res, planResponse(result, preset));
  } catch (error) {
    console.error(error);
    write(res, errorResponse(error));
  } finally {
    clearTimeout(timer);
  }
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error);
    write(res, errorResponse(error));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  send({ t: 'ready', port: address.port });
});
setInterval(() => send({ t: 'beat' }), 500).unref();
