import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeEach, describe, expect, it } from 'vitest'
import { ADA_TRIGGER, DEMO_JOB_TOKEN, DEMO_PROJECT } from '../fake-gitlab/seed.ts'
import type { FakeGitLab } from '../fake-gitlab/server.ts'
import { useSeededGitLab } from './seeded-gitlab.ts'
import { GLT_BIN } from './spawn-glt.ts'

// The README's GitLab CI recipes, run as a runner would run their `script:` lines (sh, in a job's
// environment) against the fake GitLab, so a recipe cannot drift from what glt accepts.
const run = promisify(execFile)
const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')

/** The `script:` lines of each job in the recipes section, continuation lines joined, by job name. */
function recipeScripts(): Map<string, string[]> {
  const start = readme.indexOf('\n## GitLab CI recipes\n')
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1))
  const jobs = new Map<string, string[]>()
  for (const [, block] of section.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    for (const [, name, body] of block!.matchAll(/^([\w-]+):\n((?: {2}.*\n|\n)*)/gm)) {
      const script = /^ {2}script:\n((?: {4}.*\n)*)/m.exec(body!)?.[1] ?? ''
      const lines = [...script.matchAll(/^ {4}- (.*(?:\n {6,}.*)*)/gm)].map(([, line]) => line!.replace(/\n\s+/g, ' '))
      jobs.set(name!, lines)
    }
  }
  return jobs
}

let gitlab: FakeGitLab
let workDir: string
let binDir: string
useSeededGitLab((fake) => (gitlab = fake))
beforeEach(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'glt-recipe-'))
  // `npm install --global glt` puts a `glt` on PATH: the built bin/glt stands in for it.
  binDir = path.join(workDir, 'bin')
  mkdirSync(binDir)
  symlinkSync(GLT_BIN, path.join(binDir, 'glt'))
})

/** A job's environment as GitLab sets it (the parts glt reads), plus the job's own variables. */
function jobEnv(variables: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: [binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
    HOME: workDir,
    CI: 'true',
    GITLAB_CI: 'true',
    CI_SERVER_URL: gitlab.url,
    CI_JOB_TOKEN: DEMO_JOB_TOKEN,
    CI_COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567',
    CI_COMMIT_TAG: 'v2.0.0',
    ...variables,
  }
}

/** Runs one job's script lines in order, as the runner does, the recipe's project swapped for the fake one. */
async function runJob(name: string, env: Record<string, string>) {
  const lines = recipeScripts().get(name)
  expect(lines, `README recipe job ${name}`).toBeDefined()
  let output = ''
  for (const line of lines!) {
    const command = line.replace(/group\/(deploy|docs)\b/g, DEMO_PROJECT.path)
    const result = await run('sh', ['-ec', command], { env, cwd: workDir })
    output += result.stdout + result.stderr
  }
  for (const token of [DEMO_JOB_TOKEN, ADA_TRIGGER.token]) expect(output).not.toContain(token)
  return output
}

describe('README GitLab CI recipes', () => {
  it('trigger-deploy starts a multi-project pipeline with CI_JOB_TOKEN, passing the upstream SHA', async () => {
    await runJob('trigger-deploy', jobEnv())
    expect(gitlab.pipelines).toHaveLength(1)
    expect(gitlab.pipelines[0]!.source).toBe('pipeline')
    const sent = gitlab.requests.find((r) => r.route === 'trigger')!
    expect(sent.params).toMatchObject({ token: DEMO_JOB_TOKEN, ref: 'main', variables: { UPSTREAM_SHA: jobEnv().CI_COMMIT_SHA } })
  })

  it('trigger-docs uses the masked GLT_TRIGGER_TOKEN variable before CI_JOB_TOKEN', async () => {
    await runJob('trigger-docs', jobEnv({ GLT_TRIGGER_TOKEN: ADA_TRIGGER.token }))
    expect(gitlab.pipelines[0]!.source).toBe('trigger')
    const sent = gitlab.requests.find((r) => r.route === 'trigger')!
    expect(sent.params).toMatchObject({ token: ADA_TRIGGER.token, ref: 'main', variables: { DOCS_VERSION: 'v2.0.0' } })
  })

  it('deploy-staging waits for the pipeline and writes the dotenv report smoke-test reads', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['success'])
    await runJob('deploy-staging', jobEnv())
    const pipeline = gitlab.pipelines[0]!
    const url = `${gitlab.url}/${DEMO_PROJECT.path}/-/pipelines/${pipeline.id}`
    const report = readFileSync(path.join(workDir, 'glt.env'), 'utf8')
    expect(report).toBe(`GLT_PIPELINE_ID=${pipeline.id}\nGLT_PIPELINE_URL=${url}\nGLT_PIPELINE_STATUS=success\n`)

    // GitLab hands the report's variables to later jobs' environments.
    const reported = Object.fromEntries(report.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]))
    const output = await runJob('smoke-test', jobEnv(reported))
    expect(output).toBe(`Staging was deployed by ${url} (success)\n`)
  })
})
