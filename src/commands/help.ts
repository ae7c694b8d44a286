import { Argument, type Command } from 'commander'
import type { CommandContext } from '../deps.ts'
import { ENVIRONMENT_HELP, EXIT_CODES_HELP } from '../help-topics.ts'

const TOPICS: Record<string, string> = { environment: ENVIRONMENT_HELP, 'exit-codes': EXIT_CODES_HELP }

/**
 * `glt help [command|topic]`, in place of commander's implicit help command: it also knows topics.
 * Registered last, so that its fixed values (for completion and for checking) are every command.
 */
export function register(program: Command, context: CommandContext): void {
  const commandNames = program.commands.map((command) => command.name())
  program
    .command('help')
    .description(`Show help for a command, or a topic: ${Object.keys(TOPICS).join(', ')}`)
    .addArgument(new Argument('[topic]', 'a command or a topic').choices([...commandNames, 'help', ...Object.keys(TOPICS)]))
    // `glt help tokens list`: the word after a command names one of its subcommands.
    .allowExcessArguments()
    .addHelpText(
      'after',
      `
Examples:
  $ glt help trigger
  $ glt help tokens list
  $ glt help environment`,
    )
    .action((topic: string | undefined, _flags: unknown, help: Command) => {
      const [, subcommand, ...rest] = help.args
      const text = topic === undefined ? undefined : TOPICS[topic]
      if (rest.length > 0 || (text !== undefined && subcommand !== undefined)) {
        help.error(`too many arguments for 'help': ${help.args.join(' ')}`, { code: 'commander.excessArguments' })
      }
      if (text !== undefined) {
        context.deps().io.stdout.write(`${text}\n`)
        return
      }
      const command = topic === undefined ? program : program.commands.find((c) => c.name() === topic)
      const shown = subcommand === undefined ? command : command?.commands.find((c) => c.name() === subcommand || c.aliases().includes(subcommand))
      if (shown === undefined) help.error(`unknown command '${help.args.join(' ')}'`, { code: 'commander.unknownCommand' })
      shown.help()
    })
}
