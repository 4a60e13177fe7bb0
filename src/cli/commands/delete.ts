/** `cemesh delete KIND NAME -n NS` or `cemesh delete -f FILE`. */
import type { Command } from 'commander';
import { isClientError, resolveKind } from '../../controlplane/client/index.js';
import { action, type Context } from '../context.js';
import { typeName } from '../names.js';
import { deleteManifests } from './apply.js';
import { DEFAULT_NAMESPACE } from '../../core/resources/defaults.js';

interface DeleteOptions {
  namespace: string;
  filename?: string[];
  ignoreNotFound?: boolean;
}

export function registerDelete(program: Command, context: Context): void {
  program
    .command('delete')
    .description('delete objects by kind and name, or those named in manifests (-f)')
    .argument('[kind]', 'kind, or KIND/NAME')
    .argument('[names...]', 'object names')
    .option('-n, --namespace <namespace>', 'namespace', DEFAULT_NAMESPACE)
    .option('-f, --filename <file...>', 'delete the objects of these manifests (- for stdin)')
    .option('--ignore-not-found', 'treat objects that do not exist as deleted')
    .action(
      action(
        context,
        async (client, kindArg: string | undefined, names: string[], options: DeleteOptions) => {
          if (options.filename !== undefined) {
            if (kindArg !== undefined) throw new Error('give either -f FILE or KIND NAME, not both');
            return deleteManifests(context, client, options.filename, options.ignoreNotFound === true);
          }
          if (kindArg === undefined) throw new Error('delete needs KIND NAME or -f FILE');
          const [kindName = '', slashName] = kindArg.split('/', 2);
          const kind = resolveKind(kindName);
          const all = slashName === undefined ? names : [slashName, ...names];
          if (all.length === 0) throw new Error(`delete needs the name of the ${kind.singular} to delete`);
          let failed = false;
          for (const name of all) {
            try {
              await client().delete(kind, name, kind.namespaced ? options.namespace : undefined);
              context.out(`${typeName(kind)} "${name}" deleted`);
            } catch (error) {
              if (options.ignoreNotFound && isClientError(error) && error.code === 404) continue;
              failed = true;
              context.report(error);
            }
          }
          return failed ? 1 : 0;
        },
      ),
    );
}
