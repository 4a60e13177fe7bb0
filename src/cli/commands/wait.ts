/**
 * `cemesh wait KIND/NAME... --for=condition=Ready[=True] | --for=delete [--timeout 30s]`, as kubectl waits:
 * each object is read, then followed through a watch from that read's version until the condition holds,
 * the object is gone, or the timeout (for all of them together) passes.
 */
import type { Command } from 'commander';
import { resolveKind, type Client, type Resource } from '../../controlplane/client/index.js';
import type { KindEntry } from '../../core/resources/kind.js';
import { action, type Context } from '../context.js';
import { objectLabel } from '../names.js';
import { DEFAULT_NAMESPACE } from '../../core/resources/defaults.js';
import { deadline } from '../../core/signals.js';

interface WaitOptions {
  for: string;
  timeout: string;
  namespace: string;
}

type Goal =
  | { readonly kind: 'condition'; readonly type: string; readonly status: string }
  | { readonly kind: 'delete' };

export function registerWait(program: Command, context: Context): void {
  program
    .command('wait')
    .description('wait until objects have a condition (--for=condition=Ready) or are deleted (--for=delete)')
    .argument('<kind>', 'kind, or KIND/NAME')
    .argument('[names...]', 'object names')
    .requiredOption('--for <goal>', 'condition=TYPE[=STATUS] (STATUS defaults to True), or delete')
    .option('--timeout <duration>', 'give up after this long: 30s, 2m, 1h (0 checks once)', '30s')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .action(
      action(context, async (client, kindArg: string, names: string[], options: WaitOptions) => {
        const goal = parseGoal(options.for);
        const timeoutMs = parseTimeout(options.timeout);
        const [kindName = '', slashName] = kindArg.split('/', 2);
        const kind = resolveKind(kindName);
        const all = slashName === undefined ? names : [slashName, ...names];
        if (all.length === 0) throw new Error('name the objects to wait for: KIND/NAME or KIND NAME...');
        const namespace = kind.namespaced ? options.namespace : undefined;
        const bound = deadline(context.signal, timeoutMs);
        let failed = false;
        try {
          for (const name of all) {
            const met = await waitFor(client(), kind, name, namespace, goal, bound.signal);
            const label = objectLabel(kind, name);
            if (met) context.out(`${label} ${goal.kind === 'delete' ? 'deleted' : 'condition met'}`);
            else {
              context.err(`error: timed out waiting for the condition on ${kind.plural}/${name}`);
              failed = true;
            }
          }
        } finally {
          bound.clear();
        }
        return failed ? 1 : 0;
      }),
    );
}

export function parseGoal(text: string): Goal {
  if (text === 'delete') return { kind: 'delete' };
  const match = /^condition=([^=]+)(?:=(.+))?$/.exec(text);
  if (match) return { kind: 'condition', type: match[1] ?? '', status: match[2] ?? 'True' };
  throw new Error(`--for "${text}": use condition=TYPE[=STATUS] (e.g. condition=Ready) or delete`);
}

const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** kubectl's durations: `30s`, `1m30s`, `500ms`, `2h`; a bare number is seconds. */
export function parseTimeout(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new Error(`--timeout "${text}" is not a duration such as 30s, 1m30s or 2h`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] ?? 's'] ?? 1_000), 0);
}

function holds(goal: Goal, object: Resource | undefined): boolean {
  if (goal.kind === 'delete') return object === undefined;
  if (object === undefined) return false;
  const conditions = object.status?.conditions;
  const found = Array.isArray(conditions) ? conditions.find((c) => c?.type === goal.type) : undefined;
  // A condition of an older generation does not count: the object has changed since it was computed.
  const current =
    object.status?.observedGeneration === undefined ||
    object.status.observedGeneration === object.metadata.generation;
  return current && found?.status === goal.status;
}

async function waitFor(
  client: Client,
  kind: KindEntry,
  name: string,
  namespace: string | undefined,
  goal: Goal,
  deadline: AbortSignal,
): Promise<boolean> {
  const list = await client.list(kind, { namespace });
  let object = list.items.find((o) => o.metadata.name === name);
  if (object === undefined && goal.kind !== 'delete')
    // kubectl waits only for objects that exist: a name that is not there is an error at once.
    await client.get(kind, name, namespace);
  if (holds(goal, object)) return true;
  if (deadline.aborted) return false;
  try {
    const changes = client.watch(kind, {
      namespace,
      resourceVersion: list.metadata.resourceVersion,
      signal: deadline,
    });
    for await (const change of changes) {
      if (change.object.metadata.name !== name) continue;
      object = change.type === 'DELETED' ? undefined : change.object;
      if (holds(goal, object)) return true;
      if (object === undefined)
        throw new Error(`${kind.plural}/${name} was deleted while waiting for the condition`);
    }
  } catch (error) {
    if (deadline.aborted) return false;
    throw error;
  }
  return false;
}
