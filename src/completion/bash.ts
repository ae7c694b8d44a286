import { allCommands, type CommandSpec, type OptionSpec, type ValueSpec } from './spec.ts'
import { shellQuote as quote } from '../shell-quote.ts'
import { GENERATED_NOTICE, plainWord } from './words.ts'

/**
 * A `complete -F` function for bash 3.2 and later, without the bash-completion package. It walks
 * the words before the cursor to find the subcommand (skipping each option's value), then offers
 * that command's subcommands, fixed argument values, or options. `--opt=value` works whether or
 * not `=` is in COMP_WORDBREAKS.
 */
export function bashScript(program: CommandSpec): string {
  const commands = allCommands(program)
  const key = (command: CommandSpec) => quote(command.path.join(' '))
  const pattern = (command: CommandSpec, word: string) => quote(`${command.path.join(' ')}/${word}`)

  const steps: string[] = []
  for (const command of commands) {
    for (const sub of command.commands) {
      const words = [sub.name, ...sub.aliases].map((name) => pattern(command, plainWord(name)))
      steps.push(`      ${words.join('|')}) command=${key(sub)} ;;`)
    }
    const valued = command.options.filter((option) => option.value).flatMap((option) => option.names.map((name) => pattern(command, name)))
    if (valued.length > 0) steps.push(`      ${valued.join('|')}) option=$word ;;`)
  }

  const values: string[] = []
  for (const command of commands) {
    for (const option of command.options) {
      const reply = option.value && valueReply(option.value)
      if (reply) values.push(`      ${option.names.map((name) => pattern(command, name)).join('|')}) ${reply} ;;`)
    }
  }

  const tables = commands.map((command) => {
    const fields = [
      `subcommands=${quote(command.commands.flatMap((sub) => [sub.name, ...sub.aliases]).map(plainWord).join(' '))}`,
      `options=${quote(optionWords(command.options))}`,
      `takes_arguments=${command.argument ? 1 : 0}`,
    ]
    return `    ${key(command)}) ${fields.join(' ')} ;;`
  })
  const argumentReplies = commands.flatMap((command) => {
    const reply = command.argument && valueReply(command.argument)
    return reply ? [`      ${key(command)}) ${reply} ;;`] : []
  })

  return `# bash completion for glt
${GENERATED_NOTICE}
# Install: glt completion bash > ~/.local/share/bash-completion/completions/glt
#      or: echo 'source <(glt completion bash)' >> ~/.bashrc

_glt() {
  local cur=\${COMP_WORDS[COMP_CWORD]} command= option= word i positionals=0 prefix=
  local subcommands options takes_arguments
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ -n $option ]]; then
      # \`--opt = value\`: COMP_WORDBREAKS split \`--opt=value\` into three words.
      [[ $word == = ]] || option=
      continue
    fi
    case "$command/$word" in
${steps.join('\n')}
      */-*) ;;
      *) ((positionals++)) ;;
    esac
  done
  if [[ -n $option && $cur == = ]]; then
    cur=
  elif [[ -z $option && $cur == --*=* ]]; then
    # \`--opt=val\` as one word (\`=\` not in COMP_WORDBREAKS): the reply keeps the \`--opt=\`.
    option=\${cur%%=*} prefix=\${cur%%=*}= cur=\${cur#*=}
  fi

  COMPREPLY=()
  if [[ -n $option ]]; then
    case "$command/$option" in
${values.join('\n')}
    esac
    [[ -z $prefix ]] || COMPREPLY=("\${COMPREPLY[@]/#/$prefix}")
    return 0
  fi

  case $command in
${tables.join('\n')}
    *) return 0 ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ -n $subcommands ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
  elif ((takes_arguments && positionals == 0)); then
    case $command in
${argumentReplies.join('\n')}
    esac
  elif ((!takes_arguments)); then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  fi
  return 0
}

complete -F _glt glt
`
}

function optionWords(options: OptionSpec[]): string {
  return options.flatMap((option) => option.names.map(plainWord)).join(' ')
}

/** The commands that fill COMPREPLY with a value's completions, or undefined for a free value. */
function valueReply(value: ValueSpec): string | undefined {
  if (value.choices) return `COMPREPLY=($(compgen -W ${quote(value.choices.map(plainWord).join(' '))} -- "$cur"))`
  // One name a line, so that names with spaces stay whole.
  if (value.file) return `compopt -o filenames 2>/dev/null; while IFS= read -r word; do COMPREPLY+=("$word"); done < <(compgen -f -- "$cur")`
  return undefined
}
