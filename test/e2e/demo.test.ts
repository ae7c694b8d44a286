import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { ADA, ADA_TRIGGER, BOB, BOB_TRIGGER, DEMO_JOB_TOKEN, DEMO_PROJECT, EXPIRED_TRIGGER } from '../fake-gitlab/seed.ts'
import { GLT_BIN } from './spawn-glt.ts'

const DEMO = fileURLToPath(new URL('../../scripts/demo.mjs', import.meta.url))

interface DemoResult {
  exitCode: number | null
  stdout: string
  stderr: string
}

/** `npm run demo` with nothing from this machine's environment but node on PATH. */
function runDemo(args: string[] = []): Promise<DemoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], { env: { PATH: path.dirname(process.execPath) }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }))
  })
}

const project = DEMO_PROJECT.path
const trigger = `glt trigger -p ${project} -r feature/login-form --var DEPLOY=staging --var NOTIFY=ops`
const COMMAND_LINES = [
  trigger,
  `${trigger} --json`,
  `${trigger} --dry-run`,
  `GLT_TRIGGER_TOKEN="$GITLAB_TOKEN" glt trigger -p ${project} -r main`,
  `glt tokens list -p ${project}`,
  `glt trigger -p ${project} -r main --wait --interval 1s`,
]

describe('npm run demo', () => {
  let demo: DemoResult
  beforeAll(async () => {
    demo = await runDemo()
  }, 20_000)

  it('shows each step as typed, then what glt printed, and exits 0', () => {
    const { exitCode, stdout, stderr } = demo
    expect(exitCode).toBe(0)
    const lines = stdout.split('\n')
    for (const command of COMMAND_LINES) expect(lines).toContain(`$ ${command}`)
    expect(lines.filter((line) => line.startsWith('  ✓ checked: exit '))).toHaveLength(COMMAND_LINES.length)
    expect(stdout).toContain('Every step did what it shows; the fake GitLab is stopped.')
    // glt's own messages, on stderr as glt wrote them.
    expect(stderr).toContain('GitLab answers 404 Not Found when a personal access token is used to trigger')
    expect(stderr).toMatch(/^✓ Pipeline #\d+ succeeded$/m)
  })

  it('prints no token unmasked, not even the seeded placeholders', () => {
    const output = demo.stdout + demo.stderr
    for (const token of [ADA.pat, BOB.pat, ADA_TRIGGER.token, BOB_TRIGGER.token, EXPIRED_TRIGGER.token, DEMO_JOB_TOKEN]) {
      expect(output).not.toContain(token)
    }
    // Any GitLab token shape at all: a prefix followed by more than the mask's ellipsis.
    expect(output).not.toMatch(/gl[a-z]{2,5}-[\w-]{4,}/)
    // What it does show of them is the masked form.
    expect(output).toContain(`glptt-…${ADA_TRIGGER.token.slice(-4)}`)
  })

  it('names the step whose exit code was not the one it shows, and exits 1', async () => {
    // The real glt, but always exiting 0: only the step expecting exit 3 (a PAT as trigger token) fails.
    const dir = mkdtempSync(path.join(tmpdir(), 'glt-demo-test-'))
    const wrapper = path.join(dir, 'glt-exits-0.mjs')
    writeFileSync(
      wrapper,
      `import { spawnSync } from 'node:child_process'\n` +
        `spawnSync(process.execPath, [${JSON.stringify(GLT_BIN)}, ...process.argv.slice(2)], { stdio: 'inherit' })\n`,
    )
    const { exitCode, stdout, stderr } = await runDemo(['--glt', wrapper])
    expect(exitCode).toBe(1)
    expect(stderr).toContain('  ✗ step 4/6 failed: exited with 0, expected 3\n')
    expect(stderr).toContain(`✗ The demo failed (the fake GitLab is stopped):\n  step 4/6 (glt trigger -p ${project} -r main): exited with 0, expected 3\n`)
    expect(stdout.match(/^ {2}✓ checked: /gm)).toHaveLength(COMMAND_LINES.length - 1)
    expect(stdout).not.toContain('Every step did what it shows')
  })
})
