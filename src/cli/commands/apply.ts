/** `cemesh apply -f FILE|-` and `cemesh delete -f FILE`: every object of the manifests, kubectl-style lines. */
import type { Command } from 'commander';
import {
  DEFAULT_NAMESPACE,
  isClientError,
  kindOfObject,
  type Client,
} from '../../controlplane/client/index.js';
import { action, type Context } from '../context.js';
import { readManifests } from '../manifests.js';
import { objectLabel, typeName } from '../names.js';

export function registerApply(program: Command, context: Context): void {
  program
    .command('apply')
    .description('create or update the objects of YAML/JSON manifests (multi-document; - reads stdin)')
    .requiredOption('-f, --filename <file...>', 'manifest file, directory, or - for standard input')
    .action(
      action(context, async (client, options: { filename: string[] }) => {
        const manifests = await readManifests(context, options.filename);
        let failed = false;
        for (const { origin, object } of manifests) {
          try {
            const result = await client().apply(object);
            context.out(`${objectLabel(kindOfObject(object).kind, object.metadata.name)} ${result}`);
          } catch (error) {
            failed = true;
            reportFor(context, origin, object.metadata?.name, error);
          }
        }
        return failed ? 1 : 0;
      }),
    );
}

/** `delete -f`: deletes what the manifests name. */
export async function deleteManifests(
  context: Context,
  client: () => Client,
  files: string[],
  ignoreNotFound: boolean,
): Promise<number> {
  const manifests = await readManifests(context, files);
  let failed = false;
  for (const { origin, object } of manifests) {
    try {
      const { kind } = kindOfObject(object);
      const namespace = kind.namespaced ? (object.metadata?.namespace ?? DEFAULT_NAMESPACE) : undefined;
      await client().delete(kind, String(object.metadata?.name ?? ''), namespace);
      context.out(`${typeName(kind)} "${object.metadata.name}" deleted`);
    } catch (error) {
      if (ignoreNotFound && isClientError(error) && error.code === 404) continue;
      failed = true;
      reportFor(context, origin, object.metadata?.name, error);
    }
  }
  return failed ? 1 : 0;
}

function reportFor(context: Context, origin: string, name: unknown, error: unknown): void {
  context.report(error, typeof name === 'string' && name !== '' ? `${origin}, "${name}"` : origin);
}
