import { Command, CommanderError } from 'commander'
import { register as registerCompletion } from './commands/completion.ts'
import { register as registerHelp } from './commands/help.ts'
import { register as registerLogin } from './commands/login.ts'
import { register as registerLogout } from './commands/logout.ts'
import { register as registerTokens } from './commands/tokens/index.ts'
import { register as registerTrigger } from './commands/trigger.ts'
import { register as registerVersion } from './commands/version.ts'
import { register as registerWhoami } from './commands/whoami.ts'
import { isDebug } from './config/env.ts'
import { createSystemDeps, hostResolver, type CommandContext, type Deps, type GlobalFlags } from './deps.ts'
import { ExitCode, GltError } from './errors.ts'
import { EXIT_CODES_HELP } from './help-topics.ts'
import { redact } from './redact.ts'
import type { Sink } from './ui/io.ts'
import { VERSION } from './version.ts'

export { EXIT_CODES_HELP } from './help-topics.ts'

export interface MainOptions {
  /** Builds the dependencies once global flags are known; tests pass their own. */
  makeDeps?: (flags: GlobalFlags) => Deps | Promise<Deps>
  /** Where commander's own help and errors go before any dependency exists. */
  stdout?: Sink
  stderr?: Sink
  signal?: AbortSignal
}

/** Runs glt with `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const flags = scanGlobalFlags(argv)
  const makeDeps =
    options.makeDeps ?? ((f: GlobalFlags) => createSystemDeps(options.signal ? { ...f, signal: options.signal } : f))
  const deps = await makeDeps(flags)
  const getDeps = () => deps
  const stdout: Sink = options.stdout ?? deps.io.stdout
  const stderr: Sink = options.stderr ?? deps.io.stderr

  const context: CommandContext = {
    deps: getDeps,
    host: (flag) => hostResolver(getDeps().env)(flag),
  }
  const program = buildProgram(context, { stdout, stderr }, commandNamed(argv))
  try {
    // `glt` alone, or a group alone (`glt tokens`), is a request for its help, not a mistake.
    const isGroup = (name: string | undefined) => program.commands.some((command) => command.name() === name && command.commands.length > 0)
    const args = argv.length === 0 ? ['--help'] : argv.length === 1 && isGroup(argv[0]) ? [...argv, '--help'] : [...argv]
    await program.parseAsync(args, { from: 'user' })
    return ExitCode.Ok
  } catch (error) {
    return reportError(error, stderr, isDebug(flags.debug, deps.env), deps.secrets)
  }
}

/**
 * Every command, by name. A run of `glt <name> ...` registers only that command: building the
 * others' options cost more than a trigger's request (measured with `npm run bench`). Help, an
 * unknown name, or no name at all registers every command. A new command is one more entry.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, register: (program: Command, context: CommandContext) => void]> = [
  ['trigger', registerTrigger],
  ['tokens', registerTokens],
  ['login', registerLogin],
  ['logout', registerLogout],
  ['whoami', registerWhoami],
  ['version', registerVersion],
  // These two read the whole tree (the completion script is made from it, help names every
  // command): last, and never registered alone.
  ['completion', registerCompletion],
  ['help', registerHelp],
]
const READS_WHOLE_TREE = new Set(['completion', 'help'])

/**
 * The command argv names: glt's own options take no value, so it is the first operand. Any option
 * before it but --debug and --no-color (`glt --help trigger`) shows glt's own help: all commands.
 */
function commandNamed(argv: readonly string[]): string | undefined {
  const at = argv.findIndex((arg) => !arg.startsWith('-'))
  const name = argv[at]
  if (name === undefined || argv.slice(0, at).some((arg) => arg !== '--debug' && arg !== '--no-color')) return undefined
  return !READS_WHOLE_TREE.has(name) && COMMANDS.some(([known]) => known === name) ? name : undefined
}

/** `only`: register just this command (see COMMANDS); undefined registers them all. */
export function buildProgram(context: CommandContext, streams: { stdout: Sink; stderr: Sink }, only?: string): Command {
  const program = new Command('glt')
  program
    .description('Trigger GitLab pipelines and manage pipeline trigger tokens.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--debug', 'print the HTTP exchange (tokens and variable values redacted) and stack traces')
    .option('--no-color', 'never colour the output (also: NO_COLOR=1)')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .showHelpAfterError("(run 'glt --help' for the commands)")
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
      outputError: (text, write) => write(`glt: ${text.replace(/^error: /, '')}`),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ glt trigger --project group/app --ref main --var DEPLOY_ENV=staging
  $ glt trigger --wait --timeout 30m        # the project and branch of the checkout
  $ glt tokens create -p group/app --description deploy --save

${EXIT_CODES_HELP}

Run 'glt <command> --help' for a command's options and examples, 'glt help environment' for the
environment variables glt reads, and 'glt completion <shell>' for shell completion.`,
    )
  for (const [name, register] of COMMANDS) if (only === undefined || name === only) register(program, context)
  // Subcommands inherit output and exit handling from the settings above. Options are positional
  // (glt's own before the command, the command's after it) so that an option value such as
  // `--var -V=x` is never read as glt's --version (found by fuzzing); --debug and --no-color are
  // therefore also accepted after every command.
  program.enablePositionalOptions()
  const addGlobalOptions = (command: Command, path: string) => {
    command.showHelpAfterError(`(run 'glt ${path} --help' for usage)`).helpOption('-h, --help', 'show help')
    if (command.commands.length > 0) command.helpCommand('help [command]', 'show help for a command')
    if (command.commands.length === 0) {
      command.option('--debug', 'print the HTTP exchange (secrets redacted) and stack traces')
      command.option('--no-color', 'never colour the output (also: NO_COLOR=1)')
    }
    for (const sub of command.commands) addGlobalOptions(sub, `${path} ${sub.name()}`)
  }
  for (const command of program.commands) addGlobalOptions(command, command.name())
  return program
}

/** `--debug` and `--no-color` shape the streams and error reports, so they are known before parsing. */
function scanGlobalFlags(argv: readonly string[]): GlobalFlags {
  const end = argv.indexOf('--')
  const options = end === -1 ? argv : argv.slice(0, end)
  return { debug: options.includes('--debug'), noColor: options.includes('--no-color') }
}

/** The one place where failures become messages and exit codes. */
export function reportError(error: unknown, stderr: Sink, debug: boolean, secrets: Set<string>): number {
  const clean = (text: string) => redact(text, secrets)
  if (error instanceof CommanderError) {
    // commander printed its message already (through outputError); help and version are not failures.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return ExitCode.Ok
    return ExitCode.Usage
  }
  if (error instanceof GltError) {
    stderr.write(`glt: ${clean(error.message)}\n`)
    if (error.hint) stderr.write(`${clean(error.hint)}\n`)
    if (debug) stderr.write(`${clean(describeStack(error))}\n`)
    return error.exitCode
  }
  const message = error instanceof Error ? error.message : String(error)
  stderr.write(`glt: unexpected error: ${clean(message)}\n`)
  stderr.write(debug ? `${clean(describeStack(error))}\n` : 'This is a bug in glt: rerun with --debug and report it, with that output.\n')
  return ExitCode.Failure
}

function describeStack(error: unknown): string {
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(depth === 0 ? '' : 'caused by:', current instanceof Error ? (current.stack ?? String(current)) : String(current))
    current = current instanceof Error ? current.cause : undefined
  }
  return lines.filter(Boolean).join('\n')
}

/** The process around main(): Ctrl-C, closed pipes and the exit code. Used by bin/glt only. */
export async function runProcess(): Promise<void> {
  const interrupt = new AbortController()
  // SIGTERM too: a GitLab runner stops a cancelled job with it, and --cancel-on-interrupt must
  // then cancel the downstream pipeline as it does on Ctrl-C.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupt.abort()
      // A second signal while glt is winding down leaves at once.
      process.once(signal, () => process.exit(ExitCode.Interrupted))
    })
  }
  // `glt ... | head -1`: a reader that goes away is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
  process.exitCode = await main(process.argv.slice(2), { signal: interrupt.signal })
}
