#!/usr/bin/env zsh
# Usage: zsh-capture.zsh <folder holding _glt> <line>...
# For each line: prints "== line", then the candidates an interactive zsh offers on Tab after it,
# one a line. The lines are typed into one `zsh -f -i` on a pseudo-terminal (zpty) whose compadd
# is wrapped to print the matches instead of adding them, so the line is left as typed; Ctrl-U
# then clears it for the next one.
emulate -L zsh
zmodload zsh/zpty || { print -u2 'zsh/zpty is missing'; exit 3 }
local completions=$1; shift
local setup=$(mktemp)
cat > $setup <<SETUP
PS1=''
unsetopt zle_bracketed_paste 2>/dev/null
fpath=($completions \$fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
  # Calls that only collect matches into an array (-O, -A, -D) are internal: let them be.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "\$@"; return; fi
  local -a matches prefix hidden_prefix
  builtin compadd -A matches "\$@"
  zparseopts -E P:=prefix p:=hidden_prefix
  local match
  for match in \$matches; do print -r -- "<match>\$IPREFIX\${prefix[2]}\${hidden_prefix[2]}\$match"; done
}
glt-done() { print -r -- '<done>' }
# zsh empties comppostfuncs after each completion: set it again for every Tab.
glt-complete() { comppostfuncs=(glt-done); _main_complete "\$@" }
zle -C glt-complete complete-word glt-complete
bindkey '^I' glt-complete
print -r -- '<ready>'
SETUP
local line out
zpty glt zsh -f -i
zpty -w glt "source $setup"
while zpty -r glt out; do [[ $out == *'<ready>'* ]] && break; done
for line in "$@"; do
  zpty -w -n glt "$line"$'\t'
  print -r -- "== $line"
  while zpty -r glt out; do
    [[ $out == *'<done>'* ]] && break
    [[ $out == *'<match>'* ]] && print -r -- "${${out#*<match>}%%[$'\r\n']*}"
  done
  zpty -w -n glt $'\C-u'
done
zpty -d glt
rm -f $setup
