import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

// The committed scripts, as a user installs them; completion.test.ts checks they are up to date.
const COMPLETIONS = fileURLToPath(new URL('../../completions/', import.meta.url))
const ZSH_CAPTURE = fileURLToPath(new URL('zsh-capture.zsh', import.meta.url))

/** bash's own word splitting for completion: `=` is a word of its own (COMP_WORDBREAKS). */
const BASH_DRIVER = `
source "$1"; shift
complete -p glt
for line in "$@"; do
  read -ra COMP_WORDS <<< "\${line//=/ = }"
  [[ $line != *' ' ]] || COMP_WORDS+=('')
  COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=\${#line}
  COMPREPLY=()
  _glt glt "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD - 1]}"
  printf '== %s\\n' "$line"
  ((\${#COMPREPLY[@]} == 0)) || printf '%s\\n' "\${COMPREPLY[@]}"
done
`

const FISH_DRIVER = `
source $argv[1]
for line in $argv[2..-1]
  echo "== $line"
  complete --do-complete="$line"
end
`

type Shell = 'bash' | 'zsh' | 'fish'

/** Asks `shell` for the completions of each line; returns them per line, in the shell's order. */
function complete(shell: Shell, lines: string[]): { answers: Map<string, string[]>; preamble: string } {
  const home = mkdtempSync(path.join(tmpdir(), 'glt-completion-'))
  writeFileSync(path.join(home, 'deploy.env'), 'A=1\n')
  const env = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm', LANG: 'C.UTF-8' }
  const [command, args] = {
    bash: ['bash', ['--norc', '--noprofile', '-c', BASH_DRIVER, 'bash', path.join(COMPLETIONS, 'glt.bash'), ...lines]],
    zsh: ['zsh', ['-f', ZSH_CAPTURE, COMPLETIONS, ...lines]],
    fish: ['fish', ['--no-config', '-c', FISH_DRIVER, path.join(COMPLETIONS, 'glt.fish'), ...lines]],
  }[shell] as [string, string[]]
  const run = spawnSync(command, args, { env, cwd: home, encoding: 'utf8', timeout: 60_000 })
  if (run.error) throw new Error(`${command} did not run (${run.error.message}); bash .ci/run installs zsh and fish`)
  expect(run.stderr, `${shell} stderr`).toBe('')
  expect(run.status, `${shell} exit status`).toBe(0)
  const answers = new Map<string, string[]>()
  const [preamble = '', ...blocks] = run.stdout.split(/^== /m)
  for (const block of blocks) {
    const [line = '', ...candidates] = block.replace(/\n$/, '').split('\n')
    // fish prints `candidate<TAB>description`.
    answers.set(line, candidates.map((candidate) => candidate.split('\t')[0] ?? ''))
  }
  return { answers, preamble }
}

const SHARED: [string, string[]][] = [
  ['glt tr', ['trigger']],
  ['glt tokens r', ['revoke', 'rotate']],
  ['glt tokens l', ['list', 'ls']],
  ['glt trigger --ma', ['--manual']],
  ['glt trigger --manual ', ['fail', 'pass']],
  ['glt trigger -p acme/app --manual f', ['fail']],
  ['glt completion ', ['bash', 'fish', 'zsh']],
  ['glt help e', ['environment', 'exit-codes']],
  ['glt help tok', ['tokens']],
  ['glt tokens list --sh', ['--show-token']],
  ['glt tokens ls --j', ['--json']],
  ['glt --no', ['--no-color']],
  // A value is never taken for a subcommand: `-p tokens` is a project here.
  ['glt trigger -p tokens --dr', ['--dry-run']],
  ['glt trigger --var-file dep', ['deploy.env']],
]

describe.each<Shell>(['bash', 'zsh', 'fish'])('the %s completion script', (shell) => {
  const lines = [...SHARED.map(([line]) => line), 'glt trigger --manual=', 'glt trigger -p ', 'glt ']
  let result: ReturnType<typeof complete>
  // One shell run answers every line: starting zsh with compinit takes a while.
  beforeAll(() => {
    result = complete(shell, lines)
  })
  const sorted = (line: string) => {
    expect(result.answers.has(line), `${shell} answered ${JSON.stringify(line)}`).toBe(true)
    return [...new Set(result.answers.get(line))].sort()
  }

  it.each(SHARED)('completes %j', (line, expected) => {
    expect(sorted(line)).toEqual(expected)
  })

  it('completes --manual=', () => {
    // bash replaces only the text after `=`; zsh and fish the whole word.
    expect(sorted('glt trigger --manual=')).toEqual(shell === 'bash' ? ['fail', 'pass'] : ['--manual=fail', '--manual=pass'])
  })

  it('offers nothing for a free value such as --project', () => {
    expect(sorted('glt trigger -p ')).toEqual([])
  })

  it('offers every command after glt', () => {
    expect(sorted('glt ')).toEqual(['completion', 'help', 'login', 'logout', 'tokens', 'trigger', 'version', 'whoami'])
  })

  if (shell === 'bash') {
    it('registers _glt for glt', () => {
      expect(result.preamble).toBe('complete -F _glt glt\n')
    })
  }
})
