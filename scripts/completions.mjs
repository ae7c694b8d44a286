// Writes completions/ from `glt completion <shell>` (run after the build: `npm run completions`), so
// the committed files are exactly what the command prints. test/completion/ fails when they differ.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'

const root = new URL('..', import.meta.url)
// zsh finds a completion function in a file named after it, in a folder on $fpath.
const files = { bash: 'glt.bash', zsh: '_glt', fish: 'glt.fish' }

mkdirSync(new URL('completions/', root), { recursive: true })
for (const [shell, name] of Object.entries(files)) {
  const script = execFileSync(process.execPath, ['bin/glt', 'completion', shell], { cwd: root, env: {}, encoding: 'utf8' })
  writeFileSync(new URL(`completions/${name}`, root), script)
  console.log(`completions/${name}`)
}
