import type { Argument, Command, Option } from 'commander'

/**
 * What the shell scripts complete, read from glt's commander tree: commands, their aliases, options
 * and fixed values. Fixed values are declared where commander checks them (`Option.choices()`,
 * `Argument.choices()`); an option or argument whose value is named `<file>` completes file names.
 */
export interface CommandSpec {
  /** The words leading to this command: `[]` for glt itself, `['tokens', 'list']`. */
  path: string[]
  name: string
  aliases: string[]
  description: string
  options: OptionSpec[]
  /** The first positional argument, if the command takes any. */
  argument: ArgumentSpec | undefined
  commands: CommandSpec[]
}

export interface OptionSpec {
  /** `-p`, `--project`: every spelling, short first. */
  names: string[]
  description: string
  /** Undefined for a flag that takes no value. */
  value: ValueSpec | undefined
}

export interface ArgumentSpec extends ValueSpec {
  required: boolean
}

export interface ValueSpec {
  /** `id|path`, `file`, `shell`: what the help calls the value. */
  name: string
  choices: string[] | undefined
  file: boolean
}

export function describeProgram(program: Command): CommandSpec {
  return describeCommand(program, [])
}

function describeCommand(command: Command, path: string[]): CommandSpec {
  // The Help helper's lists, so completions offer what the help shows (the implicit help command
  // and option included, hidden ones left out).
  const help = command.createHelp()
  const firstArgument = command.registeredArguments[0]
  return {
    path,
    name: command.name(),
    aliases: command.aliases(),
    description: command.description(),
    options: help.visibleOptions(command).map(describeOption),
    argument: firstArgument && describeArgument(firstArgument),
    commands: help.visibleCommands(command).map((sub) => describeCommand(sub, [...path, sub.name()])),
  }
}

function describeOption(option: Option): OptionSpec {
  const names = [option.short, option.long].filter((name): name is string => name !== undefined)
  const takesValue = option.required || option.optional
  return { names, description: option.description, value: takesValue ? valueSpec(valueName(option.flags), option.argChoices) : undefined }
}

function describeArgument(argument: Argument): ArgumentSpec {
  return { ...valueSpec(argument.name(), argument.argChoices), required: argument.required }
}

function valueSpec(name: string, choices: string[] | undefined): ValueSpec {
  return { name, choices: choices?.slice(), file: name === 'file' }
}

/** `--var-file <file>` → `file`. */
function valueName(flags: string): string {
  return /[<[]([^>\]]*)[>\]]/.exec(flags)?.[1] ?? 'value'
}

/** Every command below (and including) `spec`, parents before children. */
export function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.commands.flatMap(allCommands)]
}
