/**
 * The `cemesh` command line (ARCHITECTURE 2.5). The server's bin calls
 * `createProgram({ serve }).parseAsync(process.argv)`; every other command talks to the control plane
 * through the typed client only.
 */
import { Command, CommanderError } from 'commander';
import { registerApply } from './commands/apply.js';
import { registerCompletion } from './commands/completion.js';
import { registerCreate } from './commands/create.js';
import { registerDelete } from './commands/delete.js';
import { registerDescribe } from './commands/describe.js';
import { registerGet } from './commands/get.js';
import { registerKubeconfig } from './commands/kubeconfig.js';
import { registerMigrate } from './commands/migrate.js';
import { registerRuntime } from './commands/runtime.js';
import { registerSend } from './commands/send.js';
import { registerServe } from './commands/serve.js';
import { registerWait } from './commands/wait.js';
import { Context, DEFAULT_SERVER, type ProgramHooks } from './context.js';
import { packageVersion } from './version.js';

export type { ProgramHooks, Io, Output } from './context.js';

export function createProgram(hooks: ProgramHooks): Command {
  const context = new Context(hooks);
  const program = new Command('cemesh')
    .description(
      'cemesh: a CloudEvents eventing mesh (Knative Broker/Trigger, Kyma applications) without Kubernetes',
    )
    .option('--server <url>', `control-plane URL [env CEMESH_SERVER] (default ${DEFAULT_SERVER})`)
    .option(
      '--token <token>',
      'admin token [env CEMESH_TOKEN; else ./.cemesh/admin.token or $CEMESH_DATA_DIR/admin.token]',
    )
    .version(packageVersion(), '--version', 'print the version')
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    });
  if (hooks.exit !== undefined) {
    const exit = hooks.exit;
    // Embedded use (tests): commander's errors and --help set the exit code and end the parse with a throw
    // that the caller catches, instead of ending the process.
    program.exitOverride((error: CommanderError) => {
      exit(error.exitCode);
      throw error;
    });
  }
  registerServe(program, context);
  registerApply(program, context);
  registerCreate(program, context);
  registerGet(program, context);
  registerDescribe(program, context);
  registerDelete(program, context);
  registerWait(program, context);
  registerMigrate(program, context);
  registerSend(program, context);
  registerRuntime(program, context);
  registerKubeconfig(program, context);
  registerCompletion(program, context);
  return program;
}
