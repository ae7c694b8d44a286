import { allCommands, type ArgumentSpec, type CommandSpec, type OptionSpec, type ValueSpec } from './spec.ts'
import { shellQuote as quote } from '../shell-quote.ts'
import { GENERATED_NOTICE, plainWord } from './words.ts'

/**
 * One `_arguments` function per command: `_glt`, `_glt_tokens`, `_glt_tokens_list`... A command
 * with subcommands offers them with their descriptions and hands the rest of the line to the
 * chosen one. Flags are offered once; options with a value may repeat (`--var`).
 */
export function zshScript(program: CommandSpec): string {
  const functions = allCommands(program).map(commandFunction)
  return `#compdef glt
# zsh completion for glt
${GENERATED_NOTICE}
# Install: glt completion zsh > ~/.zsh/completions/_glt   (a folder listed in $fpath, before compinit)
#      or: echo 'source <(glt completion zsh)' >> ~/.zshrc   (after compinit)

${functions.join('\n\n')}

if [[ $funcstack[1] == _glt ]]; then
  _glt "$@"
else
  compdef _glt glt
fi
`
}

function commandFunction(command: CommandSpec): string {
  const specs = command.options.map(optionSpec)
  if (command.commands.length > 0) {
    specs.push(`': :->command'`, `'*:: :->argument'`)
  } else if (command.argument) {
    specs.push(argumentSpec(command.argument))
  }
  const lines = [`${functionName(command)}() {`]
  if (command.commands.length === 0) {
    lines.push(`  _arguments -S \\`, ...specs.map((spec, i) => `    ${spec}${i < specs.length - 1 ? ' \\' : ''}`), '}')
    return lines.join('\n')
  }
  const title = ['glt', ...command.path].join(' ')
  const entries = command.commands.flatMap((sub) => [sub.name, ...sub.aliases].map((name) => `    ${quote(`${plainWord(name)}:${sub.description}`)}`))
  const dispatch = command.commands.map((sub) => `        ${[sub.name, ...sub.aliases].map(plainWord).join('|')}) ${functionName(sub)} ;;`)
  lines.push(
    '  local curcontext=$curcontext state state_descr line',
    '  typeset -A opt_args',
    `  _arguments -C -S \\`,
    ...specs.map((spec, i) => `    ${spec}${i < specs.length - 1 ? ' \\' : ' && return'}`),
    '  case $state in',
    '    command)',
    '      local -a commands=(',
    ...entries.map((entry) => `    ${entry}`),
    '      )',
    `      _describe -t commands ${quote(`${title} command`)} commands ;;`,
    '    argument)',
    `      curcontext=\${curcontext%:*:*}:${['glt', ...command.path].join('-')}-$words[1]:`,
    '      case $words[1] in',
    ...dispatch,
    '      esac ;;',
    '  esac',
    '}',
  )
  return lines.join('\n')
}

function optionSpec(option: OptionSpec): string {
  const names = option.names.map(plainWord)
  const description = `[${escapeBrackets(option.description)}]`
  if (!option.value) {
    if (names.length === 1) return quote(`${names[0]}${description}`)
    return `${quote(`(${names.join(' ')})`)}{${names.join(',')}}${quote(description)}`
  }
  // `-p+`: the value in the same word or the next; `--project=`: after `=` or in the next word.
  const spelled = names.map((name) => (name.startsWith('--') ? `${name}=` : `${name}+`))
  const rest = `${description}:${escapeColons(option.value.name)}:${valueAction(option.value)}`
  return names.length === 1 ? quote(`*${spelled[0]}${rest}`) : `'*'{${spelled.join(',')}}${quote(rest)}`
}

function argumentSpec(argument: ArgumentSpec): string {
  return quote(`${argument.required ? ':' : '::'}${escapeColons(argument.name)}:${valueAction(argument)}`)
}

function valueAction(value: ValueSpec): string {
  if (value.choices) return `(${value.choices.map(plainWord).join(' ')})`
  return value.file ? '_files' : ' '
}

function functionName(command: CommandSpec): string {
  return ['_glt', ...command.path].join('_').replaceAll('-', '_')
}

function escapeBrackets(text: string): string {
  return text.replace(/[\\[\]]/g, '\\$&')
}

function escapeColons(text: string): string {
  return text.replace(/[\\:]/g, '\\$&')
}
