/** The runtime verbs: `tail NS/BROKER`, `events NS/BROKER --id ID`, `replay trigger NAME --since T`, `token application NAME`, `token create|list|delete` (sender tokens). */
import type { Command } from 'commander';
import { action, type Context } from '../context.js';
import { describeEvents } from '../deliveries.js';
import { splitRef } from '../names.js';
import { formatTailItem } from '../tail-format.js';
import { ageOf, formatTable } from '../table.js';
import type { FunctionLogLine } from '../../controlplane/client/index.js';
import { DEFAULT_NAMESPACE } from '../../core/resources/defaults.js';

export function registerRuntime(program: Command, context: Context): void {
  program
    .command('tail')
    .description(
      'follow a broker until interrupted: each event entering it and each delivery outcome, with trace ids',
    )
    .argument('<ns/broker>', 'the broker, as NAMESPACE/NAME')
    .option(
      '--filter <cesql>',
      'only events this CESQL expression is true for (e.g. "type LIKE \'order.%\'")',
    )
    .option('--no-outcomes', 'the events only, not what became of their deliveries')
    .option(
      '-o, --output <format>',
      'line (one readable line an item) or json (one JSON object a line)',
      'line',
    )
    .action(
      action(
        context,
        async (client, ref: string, options: { filter?: string; outcomes: boolean; output: string }) => {
          if (options.output !== 'line' && options.output !== 'json')
            throw new Error(`--output must be line or json, not "${options.output}"`);
          const items = client().tail(splitRef(ref, 'broker'), context.signal, {
            ...(options.filter === undefined ? {} : { filter: options.filter }),
            outcomes: options.outcomes,
          });
          for await (const item of items) {
            context.out(options.output === 'json' ? JSON.stringify(item) : formatTailItem(item, new Date()));
          }
        },
      ),
    );

  program
    .command('logs')
    .description(
      "a hosted function's output (stdout and stderr of its replicas, with the event each line was logged for)",
    )
    .argument('<kind>', 'function')
    .argument('<name>', 'the function')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('--tail <n>', 'only the last n lines kept so far')
    .action(
      action(
        context,
        async (
          client,
          kind: string,
          name: string,
          options: { namespace: string; follow?: boolean; tail?: string },
        ) => {
          if (!['function', 'functions', 'fn', 'fns'].includes(kind.toLowerCase())) {
            throw new Error(
              `logs works on functions: cemesh logs function NAME [-n NS] [-f] (not "${kind}")`,
            );
          }
          const ref = { namespace: options.namespace, name };
          const tail = options.tail === undefined ? undefined : positive(options.tail, '--tail');
          const lines = options.follow
            ? client().followFunctionLogs(ref, context.signal, tail)
            : await client().functionLogs(ref, tail);
          for await (const line of lines) context.out(formatLogLine(line));
        },
      ),
    );

  program
    .command('events')
    .description('the delivery history of one event: which triggers matched, every attempt, the outcome')
    .argument('<ns/broker>', 'the broker, as NAMESPACE/NAME')
    .requiredOption('--id <id>', 'the event id')
    .option('--source <source>', 'the event source (ids are unique per source)')
    .option('--limit <n>', 'at most this many records', '20')
    .action(
      action(
        context,
        async (client, ref: string, options: { id: string; source?: string; limit: string }) => {
          const { namespace, name } = splitRef(ref, 'broker');
          const records = await client().deliveries({
            namespace,
            broker: name,
            id: options.id,
            limit: positive(options.limit, '--limit'),
            ...(options.source === undefined ? {} : { source: options.source }),
          });
          if (records.length === 0) {
            context.err(`no delivery history for event id "${options.id}" in broker ${namespace}/${name}`);
            return 1;
          }
          context.io.stdout.write(describeEvents(records));
          return 0;
        },
      ),
    );

  program
    .command('replay')
    .description("deliver a trigger's retained events again, from a time on")
    .argument('<kind>', 'trigger')
    .argument('<name>', 'the trigger')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .requiredOption(
      '--since <time>',
      'RFC 3339 time (2024-05-01T12:00:00Z) or an age such as 30s, 10m, 2h, 1d',
    )
    .action(
      action(
        context,
        async (client, kind: string, name: string, options: { namespace: string; since: string }) => {
          if (!['trigger', 'triggers', 'trg', 'tr'].includes(kind.toLowerCase())) {
            throw new Error(
              `replay works on triggers: cemesh replay trigger NAME --since TIME (not "${kind}")`,
            );
          }
          const since = parseSince(options.since, new Date());
          const replayed = await client().replay({ namespace: options.namespace, name }, since);
          context.out(
            `replayed ${replayed} event(s) to trigger ${options.namespace}/${name} since ${since.toISOString()}`,
          );
        },
      ),
    );

  program
    .command('log-level')
    .description(
      "print the server's log level, or change it at once (trace, debug, info, warn, error, fatal, silent)",
    )
    .argument('[level]', 'the new level')
    .action(
      action(context, async (client, level: string | undefined) => {
        const result = await client().logLevel(level);
        context.out(
          result.previous === undefined ? result.level : `log level ${result.level} (was ${result.previous})`,
        );
      }),
    );

  const token = program
    .command('token')
    .description('issue and revoke tokens: for applications at the gateway, for senders at broker ingress');
  token
    .command('application')
    .aliases(['applications', 'app'])
    .description("issue a new token for an application's gateway calls (the previous token stops working)")
    .argument('<name>', 'the application')
    .action(
      action(context, async (client, name: string) => {
        context.out(await client().issueApplicationToken(name));
      }),
    );
  token
    .command('create')
    .description('issue a sender token for broker ingress (shown this once; only its digest is kept)')
    .requiredOption('--subject <subject>', 'what EventPolicies match, e.g. system:serviceaccount:NS:NAME')
    .option('--name <name>', "the token's name (default: generated)")
    .option('-n, --namespace <namespace>', 'the namespace the sender belongs to', DEFAULT_NAMESPACE)
    .action(
      action(context, async (client, options: { subject: string; name?: string; namespace: string }) => {
        const issued = await client().createSenderToken(options.namespace, options.subject, options.name);
        context.out(issued.token);
        context.err(
          `sender token ${issued.metadata.namespace}/${issued.metadata.name} for ${issued.subject}`,
        );
      }),
    );
  token
    .command('list')
    .description('list sender tokens (their names and subjects; never the tokens)')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .option('-A, --all-namespaces', 'every namespace')
    .action(
      action(context, async (client, options: { namespace: string; allNamespaces?: boolean }) => {
        const items = await client().listSenderTokens(options.allNamespaces ? undefined : options.namespace);
        if (items.length === 0) {
          context.out('No sender tokens found');
          return;
        }
        const now = new Date();
        context.out(
          formatTable(
            ['NAMESPACE', 'NAME', 'SUBJECT', 'AGE'],
            items.map((t) => [
              t.metadata.namespace,
              t.metadata.name,
              t.subject,
              ageOf(t.metadata.creationTimestamp, now),
            ]),
          ),
        );
      }),
    );
  token
    .command('delete')
    .description('revoke a sender token: broker ingress refuses it from then on')
    .argument('<name>', 'the token')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .action(
      action(context, async (client, name: string, options: { namespace: string }) => {
        await client().deleteSenderToken(options.namespace, name);
        context.out(`sender token "${name}" deleted`);
      }),
    );
}

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An RFC 3339 time, or an age (`10m`) counted back from `now`. */
export function parseSince(text: string, now: Date): Date {
  const age = /^(\d+)([smhd])$/.exec(text);
  if (age) return new Date(now.getTime() - Number(age[1]) * (units[age[2] ?? 's'] ?? 1_000));
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  if (rfc3339.test(text) && !Number.isNaN(Date.parse(text))) return new Date(text);
  throw new Error(
    `--since "${text}" is neither an RFC 3339 time (2024-05-01T12:00:00Z) nor an age (10m, 2h, 1d)`,
  );
}

function positive(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new Error(`${flag} must be a positive integer, not "${text}"`);
  return Number(text);
}

/** `2026-01-01T00:00:00.000Z orders-3f2a1c-0 [event 42] text`; stderr lines are marked. */
export function formatLogLine(line: FunctionLogLine): string {
  const event = line.eventId === undefined ? '' : ` [event ${line.eventId}]`;
  const stream = line.stream === 'stderr' ? ' (stderr)' : '';
  return `${line.time} ${line.replica}${event}${stream} ${line.text}`;
}
