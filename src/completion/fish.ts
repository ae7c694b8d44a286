import { allCommands, type CommandSpec, type OptionSpec, type ValueSpec } from './spec.ts'
import { GENERATED_NOTICE, plainWord } from './words.ts'

/**
 * `complete` lines conditioned on `__glt_command`, which walks the words before the cursor as the
 * bash script does (subcommands deepen the path, an option's value is skipped), so an option value
 * or `glt help trigger` is never mistaken for a subcommand.
 */
export function fishScript(program: CommandSpec): string {
  const commands = allCommands(program)
  const steps: string[] = []
  for (const command of commands) {
    const prefix = command.path.join(' ')
    const valued = command.options.filter((option) => option.value).flatMap((option) => option.names)
    if (valued.length > 0) steps.push(`            case ${valued.map((name) => quote(`${prefix}/${plainWord(name)}`)).join(' ')}\n                set skip 1`)
    for (const sub of command.commands) {
      const words = [sub.name, ...sub.aliases].map((name) => quote(`${prefix}/${plainWord(name)}`))
      steps.push(`            case ${words.join(' ')}\n                set command ${quote(sub.path.join(' '))}`)
    }
  }

  const lines: string[] = []
  for (const command of commands) {
    const condition = `-n ${quote(`__glt_at ${command.path.join(' ')}`.trimEnd())}`
    for (const sub of command.commands) {
      for (const name of [sub.name, ...sub.aliases]) lines.push(`complete -c glt ${condition} -a ${plainWord(name)} -d ${quote(sub.description)}`)
    }
    for (const option of command.options) lines.push(`complete -c glt ${condition} ${optionFlags(option)} -d ${quote(option.description)}`)
    const argument = command.argument
    if (argument && (argument.choices || argument.file)) {
      lines.push(`complete -c glt -n ${quote(`__glt_at_argument ${command.path.join(' ')}`.trimEnd())} ${valueFlags(argument)}`)
    }
  }

  return `# fish completion for glt
${GENERATED_NOTICE}
# Install: glt completion fish > ~/.config/fish/completions/glt.fish

# Two lines: the (sub)command being completed ("" for glt itself, "trigger", "tokens list"...)
# and how many positional arguments it has been given so far.
function __glt_walk
    set -l command ''
    set -l positionals 0
    set -l skip 0
    for word in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch "$command/$word"
${steps.join('\n')}
            case '*/-*'
            case '*'
                set positionals (math $positionals + 1)
        end
    end
    printf '%s\\n' $command $positionals
end

# True when completing the words after this (sub)command: __glt_at tokens list
function __glt_at
    set -l state (__glt_walk)
    test "$state[1]" = "$argv"
end

# True when completing this (sub)command's first positional argument.
function __glt_at_argument
    set -l state (__glt_walk)
    test "$state[1]" = "$argv"; and test $state[2] = 0
end

complete -c glt -f
${lines.join('\n')}
`
}

function optionFlags(option: OptionSpec): string {
  const names = option.names.map(plainWord).map((name) => (name.startsWith('--') ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`))
  return [...names, ...(option.value ? [valueFlags(option.value)] : [])].join(' ')
}

/** `-x`: needs a value and offers no files; `-r -F`: a file name. */
function valueFlags(value: ValueSpec): string {
  if (value.choices) return `-x -a ${quote(value.choices.map(plainWord).join(' '))}`
  return value.file ? '-r -F' : '-x'
}

/** fish single quotes: only `\\` and `'` need escaping. */
function quote(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`
}
