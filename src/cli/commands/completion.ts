/** `cemesh completion bash|zsh`: a completion script for commands, kinds and common flags. */
import type { Command } from 'commander';
import { allKinds } from '../../core/resources/catalog.js';
import { action, type Context } from '../context.js';

export function registerCompletion(program: Command, context: Context): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(cemesh completion bash)"')
    .argument('<shell>', 'bash or zsh')
    .action(
      action(context, async (_client, shell: string) => {
        if (shell !== 'bash' && shell !== 'zsh')
          throw new Error(`no completion for "${shell}": use bash or zsh`);
        const commands = program.commands.map((c) => c.name()).join(' ');
        const kindNames = allKinds()
          .flatMap((k) => [k.singular, k.plural, ...k.shortNames])
          .join(' ');
        context.io.stdout.write(script(commands, kindNames, shell === 'zsh'));
      }),
    );
}

function script(commands: string, kindNames: string, zsh: boolean): string {
  return `${zsh ? 'autoload -U +X bashcompinit && bashcompinit\n' : ''}_cemesh() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands}" -- "$cur")); return
  fi
  case "$prev" in
    get|describe|delete|wait) COMPREPLY=($(compgen -W "${kindNames}" -- "$cur")); return;;
    create) COMPREPLY=($(compgen -W "broker trigger" -- "$cur")); return;;
    -o|--output) COMPREPLY=($(compgen -W "table wide yaml json name jsonpath=" -- "$cur")); return;;
    --for) COMPREPLY=($(compgen -W "condition=Ready delete" -- "$cur")); return;;
    --mode) COMPREPLY=($(compgen -W "binary structured" -- "$cur")); return;;
    -f|--filename|--config) COMPREPLY=($(compgen -f -- "$cur")); return;;
  esac
  COMPREPLY=($(compgen -W "-n --namespace -A --all-namespaces -o --output -w --watch -f --filename --for --timeout --broker --sink --filter --server --token --version" -- "$cur"))
}
complete -F _cemesh cemesh
`;
}
