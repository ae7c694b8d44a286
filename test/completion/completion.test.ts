import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runGlt } from '../helpers/run-glt.ts'

// The files scripts/completions.mjs writes (zsh looks for a function in a file named after it).
const FILES = { bash: 'glt.bash', zsh: '_glt', fish: 'glt.fish' }

describe('glt completion', () => {
  it.each(Object.entries(FILES))('prints the committed %s script, completions/%s', async (shell, file) => {
    const result = await runGlt(['completion', shell])
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    const committed = readFileSync(new URL(`../../completions/${file}`, import.meta.url), 'utf8')
    expect(committed, `completions/${file} is not what glt generates: run npm run completions and commit it`).toBe(result.stdout)
  })

  it('reads fixed values from the command definitions', async () => {
    const { stdout } = await runGlt(['completion', 'bash'])
    expect(stdout).toContain(`trigger/--manual) COMPREPLY=($(compgen -W 'fail pass' -- "$cur")) ;;`)
    expect(stdout).toContain(`completion) COMPREPLY=($(compgen -W 'bash zsh fish' -- "$cur")) ;;`)
    expect(stdout).toContain(`help) COMPREPLY=($(compgen -W 'trigger tokens login logout whoami version completion help environment exit-codes' -- "$cur")) ;;`)
    expect(stdout).toContain(`tokens) subcommands='list ls create revoke rotate save forget help'`)
  })

  it('refuses a shell it has no script for, naming the ones it has', async () => {
    const result = await runGlt(['completion', 'tcsh'])
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe(
      "glt: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.\n(run 'glt completion --help' for usage)\n",
    )
  })

  it('needs a shell', async () => {
    const result = await runGlt(['completion'])
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe("glt: missing required argument 'shell'\n(run 'glt completion --help' for usage)\n")
  })
})
