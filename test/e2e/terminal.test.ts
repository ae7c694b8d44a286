import { describe, expect, it } from 'vitest'
import { ADA, ADA_TRIGGER, DEMO_JOB_TOKEN, DEMO_PROJECT } from '../fake-gitlab/seed.ts'
import type { FakeGitLab } from '../fake-gitlab/server.ts'
import { useSeededGitLab } from './seeded-gitlab.ts'
import { spawnGlt, type SpawnOptions } from './spawn-glt.ts'

// A CI runner may allocate a terminal (GitLab's docker executor can; so do `docker run -t` and
// `script`): with CI set, glt must still behave as in a log file, never as at a keyboard.
let gitlab: FakeGitLab
useSeededGitLab((fake) => (gitlab = fake))

const env = (extra: Record<string, string> = {}) => ({ GITLAB_HOST: gitlab.url, GLT_TRIGGER_TOKEN: ADA_TRIGGER.token, TERM: 'xterm-256color', ...extra })
const inTerminal = (args: string[], extra: Record<string, string> = {}, terminal: SpawnOptions['terminal'] = { columns: 80 }) =>
  spawnGlt(args, { env: env(extra), terminal })
const ESCAPE = '\u001b'
const HIDE_CURSOR = `${ESCAPE}[?25l`

describe('glt in a terminal, outside CI', () => {
  it('colours its output and shows a spinner while it works (so the checks below can see them)', async () => {
    const result = await inTerminal(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`${ESCAPE}[32m✓`)
    expect(result.stdout).toContain(HIDE_CURSOR)
  })

  it('in a terminal of unknown size (0 columns) shows no spinner, and finishes', async () => {
    // ora divides by the width: with 0 columns its spinner erased lines forever (found here).
    const result = await inTerminal(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'], {}, true)
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toContain(HIDE_CURSOR)
    expect(result.stdout).toContain(`${ESCAPE}[32m✓`)
  })
})

describe('glt in a terminal with CI set', () => {
  it('prints no colour or other escape sequence', async () => {
    const result = await inTerminal(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'], { CI: 'true' })
    const pipeline = gitlab.pipelines[0]!
    expect(result).toMatchObject({
      exitCode: 0,
      stdout: `✓ Pipeline #${pipeline.id} created for main in ${DEMO_PROJECT.path}\n  ${gitlab.url}/${DEMO_PROJECT.path}/-/pipelines/${pipeline.id}\n`,
    })
  })

  it('never prompts: a missing value is a usage error naming the flag', async () => {
    const result = await inTerminal(['trigger', '-p', DEMO_PROJECT.path], { CI: 'true' })
    expect(result).toMatchObject({
      exitCode: 2,
      stdout: 'glt: missing --ref: the branch or tag to run the pipeline for\nPass --ref.\n',
    })
    expect(gitlab.requests).toEqual([])
  })

  it('--wait inside GitLab CI shows no spinner and no colour', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['running', 'success'], [{ name: 'build', stage: 'build' }])
    const result = await inTerminal(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main', '--wait', '--interval', '1s'], {
      CI: 'true',
      GITLAB_CI: 'true',
      CI_SERVER_URL: gitlab.url,
      CI_JOB_TOKEN: DEMO_JOB_TOKEN,
      GITLAB_TOKEN: ADA.pat,
    })
    const pipeline = gitlab.pipelines[0]!
    expect(result.exitCode).toBe(0)
    // GitLab's collapsible-section markers are escape sequences too (erase line), but no colour.
    expect(result.stdout).toContain(`section_start:`)
    expect(result.stdout).not.toContain(HIDE_CURSOR)
    expect(result.stdout).not.toMatch(/\u001b\[[\d;]*m/)
    expect(result.stdout).toContain(`pipeline #${pipeline.id} running (jobs: 1 running)\n`)
    expect(result.stdout).toMatch(new RegExp(`✓ Pipeline #${pipeline.id} succeeded\n$`))
  })
})
