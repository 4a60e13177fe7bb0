/**
 * `cemesh send`: builds a CloudEvent from flags and POSTs it to a broker (its `status.address.url`, read
 * through the API) or to any URL, in binary or structured mode (CloudEvents HTTP binding, sections 3.1, 3.2).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Client } from '../../controlplane/client/index.js';
import type { CloudEvent } from '../../core/cloudevents/index.js';
import { action, type Context } from '../context.js';
import { splitRef } from '../names.js';

interface SendOptions {
  broker?: string;
  url?: string;
  type: string;
  source: string;
  id?: string;
  data?: string;
  contentType?: string;
  ext: string[];
  mode: string;
}

export function registerSend(program: Command, context: Context): void {
  program
    .command('send')
    .description('send one CloudEvent to a broker (--broker NS/NAME) or a URL')
    .option('--broker <ns/name>', "the broker to send to (its address is read from the broker's status)")
    .option('--url <url>', 'any CloudEvents HTTP endpoint')
    .requiredOption('--type <type>', 'the event type')
    .requiredOption('--source <source>', 'the event source (URI-reference)')
    .option('--id <id>', 'the event id (default: a new UUID)')
    .option('--data <json|@file>', 'the data: JSON text, other text, or @file for a file')
    .option('--content-type <type>', 'datacontenttype (default: application/json when the data is JSON)')
    .option('--ext <key=value>', 'an extension attribute (repeatable)', collect, [])
    .option('--mode <mode>', 'binary or structured', 'binary')
    .action(
      action(context, async (client, options: SendOptions) => {
        if ((options.broker === undefined) === (options.url === undefined)) {
          throw new Error('give exactly one of --broker NS/NAME or --url URL');
        }
        if (options.mode !== 'binary' && options.mode !== 'structured') {
          throw new Error(`--mode must be binary or structured, not "${options.mode}"`);
        }
        // Loaded here, not with the CLI: every other command would pay for them at start.
        const codec = await import('../../core/cloudevents/index.js');
        const { request } = await import('undici');
        const event = await buildEvent(context, options);
        codec.validateEvent(event);
        const url = options.url ?? (await brokerAddress(client(), options.broker ?? ''));
        const { headers, body } =
          options.mode === 'binary' ? codec.encodeBinary(event) : codec.encodeStructured(event);
        const response = await request(url, { method: 'POST', headers, body: body ?? '' }).catch(
          (error: unknown) => {
            throw new Error(
              `cannot send to ${url}: ${error instanceof Error ? error.message : String(error)}`,
            );
          },
        );
        const text = await response.body.text();
        if (response.statusCode >= 200 && response.statusCode < 300) {
          context.out(`event ${String(event.attributes.id)} sent to ${url}: HTTP ${response.statusCode}`);
          return 0;
        }
        context.err(
          `error: ${url} answered HTTP ${response.statusCode}${text.trim() === '' ? '' : `: ${text.trim()}`}`,
        );
        return 1;
      }),
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function buildEvent(context: Context, options: SendOptions): Promise<CloudEvent> {
  const attributes: Record<string, string> = {
    specversion: '1.0',
    id: options.id ?? randomUUID(),
    type: options.type,
    source: options.source,
  };
  for (const pair of options.ext) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--ext needs key=value, not "${pair}"`);
    attributes[pair.slice(0, eq).toLowerCase()] = pair.slice(eq + 1);
  }
  let data: Uint8Array | undefined;
  if (options.data !== undefined) {
    const bytes = options.data.startsWith('@')
      ? new Uint8Array(await readFile(context.path(options.data.slice(1))))
      : new TextEncoder().encode(options.data);
    data = bytes;
    attributes.datacontenttype = options.contentType ?? guessContentType(bytes, options.data.startsWith('@'));
  } else if (options.contentType !== undefined) {
    attributes.datacontenttype = options.contentType;
  }
  return data === undefined ? { attributes } : { attributes, data };
}

function guessContentType(bytes: Uint8Array, fromFile: boolean): string {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return 'application/json';
  } catch {
    return fromFile ? 'application/octet-stream' : 'text/plain; charset=utf-8';
  }
}

async function brokerAddress(client: Client, ref: string): Promise<string> {
  const { namespace, name } = splitRef(ref, 'broker');
  const broker = await client.get('broker', name, namespace);
  const address = broker.status?.address as { url?: unknown } | undefined;
  if (typeof address?.url === 'string' && address.url !== '') return address.url;
  const ready = broker.status?.conditions?.find((c) => c.type === 'Ready');
  const why =
    ready?.reason === undefined
      ? ''
      : ` (Ready=${ready.status}, ${ready.reason}${ready.message ? `: ${ready.message}` : ''})`;
  throw new Error(`broker ${namespace}/${name} has no address yet${why}; use --url to send anyway`);
}
