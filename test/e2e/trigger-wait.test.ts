import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ADA, ADA_TRIGGER, DEMO_JOB_TOKEN, DEMO_PROJECT } from '../fake-gitlab/seed.ts'
import type { FakeGitLab } from '../fake-gitlab/server.ts'
import { useSeededGitLab } from './seeded-gitlab.ts'
import { spawnGlt, type SpawnOptions } from './spawn-glt.ts'

let gitlab: FakeGitLab
useSeededGitLab((fake) => (gitlab = fake))

const env = (extra: Record<string, string> = {}) => ({ GITLAB_HOST: gitlab.url, GLT_TRIGGER_TOKEN: ADA_TRIGGER.token, GITLAB_TOKEN: ADA.pat, ...extra })
const wait = (args: string[] = [], options: Omit<SpawnOptions, 'env'> & { env?: Record<string, string> } = {}) =>
  spawnGlt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main', '--wait', '--interval', '1s', ...args], { ...options, env: options.env ?? env() })

const jobs = (status: string) => [
  { name: 'build', stage: 'build', status: 'success' },
  { name: 'unit-tests', stage: 'test', status },
]

describe('glt trigger --wait', () => {
  it('follows the pipeline it created through each status to success, one line per change', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['pending', 'running', 'success'], [{ name: 'build', stage: 'build' }])
    const dotenv = path.join(mkdtempSync(path.join(tmpdir(), 'glt-dotenv-')), 'glt.env')
    const result = await wait(['--dotenv', dotenv])
    expect(result.exitCode).toBe(0)
    const pipeline = gitlab.pipelines[0]!
    expect(result.stdout).toBe(`${gitlab.url}/${DEMO_PROJECT.path}/-/pipelines/${pipeline.id}\n`)
    // Not a terminal: plain timestamped lines, nothing that redraws.
    expect(result.stderr).not.toMatch(/\r|\u001b/)
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ pipeline #\d+ pending \(jobs: 1 pending\)$/),
      expect.stringMatching(/^\S+Z pipeline #\d+ running \(jobs: 1 running\)$/),
      expect.stringMatching(/^\S+Z pipeline #\d+ success \(jobs: 1 success\)$/),
      `✓ Pipeline #${pipeline.id} succeeded`,
    ])
    // It read exactly the pipeline it created, by ID.
    const reads = gitlab.requests.filter((r) => r.route === 'pipeline')
    expect(reads.map((r) => r.pathParams.pipelineId)).toEqual([String(pipeline.id), String(pipeline.id), String(pipeline.id)])
    expect(readFileSync(dotenv, 'utf8')).toBe(
      `GLT_PIPELINE_ID=${pipeline.id}\nGLT_PIPELINE_URL=${gitlab.url}/${DEMO_PROJECT.path}/-/pipelines/${pipeline.id}\nGLT_PIPELINE_STATUS=success\n`,
    )
  })

  it.each([
    ['failed', 'failed'],
    ['canceled', 'was canceled'],
    ['skipped', 'was skipped'],
  ])('exits 4 when the pipeline ends %s', async (status, words) => {
    gitlab.pipelineScript(DEMO_PROJECT.id, [status], jobs(status === 'failed' ? 'failed' : status))
    const result = await wait()
    expect(result.exitCode).toBe(4)
    expect(result.stderr).toContain(`glt: pipeline #${gitlab.pipelines[0]!.id} ${words}`)
    if (status === 'failed') expect(result.stderr).toMatch(/✗ unit-tests \(test\): http:\/\/127\.0\.0\.1:\d+\/acme\/platform\/api\/-\/jobs\/\d+/)
  })

  it('exits 4 naming the manual job a pipeline waits for, unless --manual pass', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['manual'], [{ name: 'deploy-production', stage: 'deploy', status: 'manual' }])
    const blocked = await wait()
    expect(blocked.exitCode).toBe(4)
    expect(blocked.stderr).toContain('is waiting for "deploy-production" (stage deploy) to be started by a person')
    const passed = await wait(['--manual', 'pass'])
    expect(passed.exitCode).toBe(0)
  })

  it('--json prints only the final pipeline object', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['success'])
    const result = await wait(['--json'])
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ id: gitlab.pipelines[0]!.id, status: 'success' })
  })

  it('exits 5 at --timeout, leaving the pipeline running, or cancelling it with --cancel-on-timeout', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['running'])
    const left = await wait(['--timeout', '1500ms'])
    expect(left.exitCode).toBe(5)
    expect(left.stderr).toContain('did not finish within 1.5s (last status: running)')
    expect(gitlab.requests.filter((r) => r.route === 'cancel-pipeline')).toEqual([])

    const cancelled = await wait(['--timeout', '1500ms', '--cancel-on-timeout'])
    expect(cancelled.exitCode).toBe(5)
    expect(gitlab.requests.filter((r) => r.route === 'cancel-pipeline')).toHaveLength(1)
    expect(gitlab.pipelines[1]!.canceledAt).not.toBeNull()
  })

  const signalAfterFirstRead = (signal: NodeJS.Signals) => (child: import('node:child_process').ChildProcess) => {
    const timer = setInterval(() => {
      if (gitlab.requests.some((r) => r.route === 'pipeline-jobs')) {
        clearInterval(timer)
        child.kill(signal)
      }
    }, 10)
  }
  const interruptAfterFirstRead = signalAfterFirstRead('SIGINT')

  it('on Ctrl-C leaves the pipeline running and says where it is', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['running'])
    const result = await wait([], { onSpawn: interruptAfterFirstRead })
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toContain(`goes on without glt`)
    expect(gitlab.requests.filter((r) => r.route === 'cancel-pipeline')).toEqual([])
  })

  it('on Ctrl-C with --cancel-on-interrupt cancels the pipeline first', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['running'])
    const result = await wait(['--cancel-on-interrupt'], { onSpawn: interruptAfterFirstRead })
    expect(result.exitCode).toBe(130)
    expect(gitlab.requests.filter((r) => r.route === 'cancel-pipeline')).toHaveLength(1)
    expect(gitlab.pipelines[0]!.canceledAt).not.toBeNull()
  })

  it('on SIGTERM (a cancelled CI job) with --cancel-on-interrupt cancels the pipeline too', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['running'])
    const result = await wait(['--cancel-on-interrupt'], { onSpawn: signalAfterFirstRead('SIGTERM') })
    expect(result).toMatchObject({ exitCode: 130, signal: null })
    expect(gitlab.requests.filter((r) => r.route === 'cancel-pipeline')).toHaveLength(1)
  })

  it('waits out a 429 with Retry-After and a dropped connection, then goes on', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['running', 'success'])
    gitlab.inject('pipeline', { status: 429, retryAfter: 1 })
    gitlab.inject((r) => r.route === 'pipeline' && gitlab.requests.filter((q) => q.route === 'pipeline').length === 2, { destroyBeforeResponse: true, handled: false })
    const result = await wait()
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('GitLab is rate limiting requests (429); retrying in 1s')
    // Two failures in a row: the pause doubles.
    expect(result.stderr).toMatch(/closed before GitLab's answer was complete; retrying in 2s/)
  })

  it('checks for a read credential before triggering, unless --no-preflight', async () => {
    const noReader = { GITLAB_HOST: gitlab.url, GLT_TRIGGER_TOKEN: ADA_TRIGGER.token }
    const refused = await wait([], { env: noReader })
    expect(refused.exitCode).toBe(3)
    expect(refused.stderr).toContain('--wait needs a token that can read pipelines')
    expect(gitlab.requests).toEqual([])

    const triggered = await wait(['--no-preflight'], { env: noReader })
    expect(triggered.exitCode).toBe(3)
    expect(triggered.stderr).toContain('the pipeline was triggered, but glt has no token that can read pipelines')
    expect(gitlab.pipelines).toHaveLength(1)
  })

  it('inside GitLab CI reads with the job token and folds its log into a collapsible section', async () => {
    gitlab.pipelineScript(DEMO_PROJECT.id, ['success'])
    const result = await wait([], { env: { CI: 'true', GITLAB_CI: 'true', CI_SERVER_URL: gitlab.url, CI_JOB_TOKEN: DEMO_JOB_TOKEN } })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toMatch(/^\u001b\[0Ksection_start:\d+:glt_wait_\d+\[collapsed=true\]\r\u001b\[0KWaiting for pipeline #\d+/)
    expect(result.stderr).toMatch(/\u001b\[0Ksection_end:\d+:glt_wait_\d+\r\u001b\[0K\n/)
    expect(gitlab.requests.find((r) => r.route === 'pipeline')?.headers['job-token']).toBe(DEMO_JOB_TOKEN)
  })
})
