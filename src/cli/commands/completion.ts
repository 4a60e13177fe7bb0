/** `cemesh completion bash|zsh`: a completion script for commands, kinds and common flags. */
import type { Command } from 'commander';
import { allKinds } from '../../core/resources/index.js';
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
    get|describe|delete) COMPREPLY=($(compgen -W "${kindNames}" -- "$cur")); return;;
    -o|--output) COMPREPLY=($(compgen -W "table yaml json" -- "$cur")); return;;
    --mode) COMPREPLY=($(compgen -W "binary structured" -- "$cur")); return;;
    -f|--filename|--config) COMPREPLY=($(compgen -f -- "$cur")); return;;
  esac
  COMPREPLY=($(compgen -W "-n --namespace -A --all-namespaces -o --output -w --watch -f --filename --server --token" -- "$cur"))
}
complete -F _cemesh cemesh
`;
}
