import { Argument, type Command } from 'commander'
import type { CommandContext } from '../deps.ts'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

/** `glt completion <shell>`: the script is generated from the command tree glt is running. */
export function register(program: Command, context: CommandContext): void {
  program
    .command('completion')
    .description('Print the completion script for bash, zsh or fish (install steps in its first lines)')
    .addArgument(new Argument('<shell>', 'the shell to complete glt in').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  $ glt completion bash > ~/.local/share/bash-completion/completions/glt
  $ glt completion zsh > ~/.zsh/completions/_glt     # a folder in $fpath
  $ glt completion fish > ~/.config/fish/completions/glt.fish`,
    )
    .action(async (shell: Shell) => {
      // The generator is loaded only here, so it costs other commands nothing at start-up.
      const { completionScript } = await import('../completion/index.ts')
      context.deps().io.stdout.write(completionScript(shell, program))
    })
}
