# bash completion for glt
# Generated from glt's command definitions by `npm run completions` (or `glt completion`): do not edit.
# Install: glt completion bash > ~/.local/share/bash-completion/completions/glt
#      or: echo 'source <(glt completion bash)' >> ~/.bashrc

_glt() {
  local cur=${COMP_WORDS[COMP_CWORD]} command= option= word i positionals=0 prefix=
  local subcommands options takes_arguments
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ -n $option ]]; then
      # `--opt = value`: COMP_WORDBREAKS split `--opt=value` into three words.
      [[ $word == = ]] || option=
      continue
    fi
    case "$command/$word" in
      /trigger) command=trigger ;;
      /tokens) command=tokens ;;
      /login) command=login ;;
      /logout) command=logout ;;
      /whoami) command=whoami ;;
      /version) command=version ;;
      /completion) command=completion ;;
      /help) command=help ;;
      trigger/-p|trigger/--project|trigger/-r|trigger/--ref|trigger/--token|trigger/-v|trigger/--var|trigger/--var-file|trigger/-i|trigger/--input|trigger/--interval|trigger/--manual|trigger/--dotenv|trigger/--timeout|trigger/--host) option=$word ;;
      tokens/list|tokens/ls) command='tokens list' ;;
      tokens/create) command='tokens create' ;;
      tokens/revoke) command='tokens revoke' ;;
      tokens/rotate) command='tokens rotate' ;;
      tokens/save) command='tokens save' ;;
      tokens/forget) command='tokens forget' ;;
      tokens/help) command='tokens help' ;;
      'tokens list/-p'|'tokens list/--project'|'tokens list/--host') option=$word ;;
      'tokens create/-p'|'tokens create/--project'|'tokens create/-d'|'tokens create/--description'|'tokens create/--expires-at'|'tokens create/--host') option=$word ;;
      'tokens revoke/-p'|'tokens revoke/--project'|'tokens revoke/--host') option=$word ;;
      'tokens rotate/-p'|'tokens rotate/--project'|'tokens rotate/--host') option=$word ;;
      'tokens save/-p'|'tokens save/--project'|'tokens save/--host') option=$word ;;
      'tokens forget/-p'|'tokens forget/--project'|'tokens forget/--host') option=$word ;;
      login/--host) option=$word ;;
      logout/--host) option=$word ;;
      whoami/--host) option=$word ;;
      */-*) ;;
      *) ((positionals++)) ;;
    esac
  done
  if [[ -n $option && $cur == = ]]; then
    cur=
  elif [[ -z $option && $cur == --*=* ]]; then
    # `--opt=val` as one word (`=` not in COMP_WORDBREAKS): the reply keeps the `--opt=`.
    option=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}
  fi

  COMPREPLY=()
  if [[ -n $option ]]; then
    case "$command/$option" in
      trigger/--var-file) compopt -o filenames 2>/dev/null; while IFS= read -r word; do COMPREPLY+=("$word"); done < <(compgen -f -- "$cur") ;;
      trigger/--manual) COMPREPLY=($(compgen -W 'fail pass' -- "$cur")) ;;
      trigger/--dotenv) compopt -o filenames 2>/dev/null; while IFS= read -r word; do COMPREPLY+=("$word"); done < <(compgen -f -- "$cur") ;;
    esac
    [[ -z $prefix ]] || COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
    return 0
  fi

  case $command in
    '') subcommands='trigger tokens login logout whoami version completion help' options='-V --version --debug --no-color -h --help' takes_arguments=0 ;;
    trigger) subcommands='' options='-p --project -r --ref --token --token-stdin -v --var --var-file -i --input --json --dry-run --webhook-url --show-token -w --wait --interval --manual --cancel-on-interrupt --cancel-on-timeout --dotenv --no-preflight --timeout --host --debug --no-color -h --help' takes_arguments=0 ;;
    tokens) subcommands='list ls create revoke rotate save forget help' options='-h --help' takes_arguments=0 ;;
    'tokens list') subcommands='' options='-p --project --json --show-token --host --debug --no-color -h --help' takes_arguments=0 ;;
    'tokens create') subcommands='' options='-p --project -d --description --expires-at --save --insecure-storage --json --host --debug --no-color -h --help' takes_arguments=0 ;;
    'tokens revoke') subcommands='' options='-p --project -y --yes --host --debug --no-color -h --help' takes_arguments=1 ;;
    'tokens rotate') subcommands='' options='-p --project --insecure-storage --host --debug --no-color -h --help' takes_arguments=1 ;;
    'tokens save') subcommands='' options='-p --project --token-stdin --insecure-storage --host --debug --no-color -h --help' takes_arguments=0 ;;
    'tokens forget') subcommands='' options='-p --project --host --debug --no-color -h --help' takes_arguments=0 ;;
    'tokens help') subcommands='' options='' takes_arguments=1 ;;
    login) subcommands='' options='--token-stdin --insecure-storage --host --debug --no-color -h --help' takes_arguments=0 ;;
    logout) subcommands='' options='--host --debug --no-color -h --help' takes_arguments=0 ;;
    whoami) subcommands='' options='--json --host --debug --no-color -h --help' takes_arguments=0 ;;
    version) subcommands='' options='--json --debug --no-color -h --help' takes_arguments=0 ;;
    completion) subcommands='' options='--debug --no-color -h --help' takes_arguments=1 ;;
    help) subcommands='' options='--debug --no-color -h --help' takes_arguments=1 ;;
    *) return 0 ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ -n $subcommands ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
  elif ((takes_arguments && positionals == 0)); then
    case $command in
      completion) COMPREPLY=($(compgen -W 'bash zsh fish' -- "$cur")) ;;
      help) COMPREPLY=($(compgen -W 'trigger tokens login logout whoami version completion help environment exit-codes' -- "$cur")) ;;
    esac
  elif ((!takes_arguments)); then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  fi
  return 0
}

complete -F _glt glt
