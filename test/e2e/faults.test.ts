// Faults of issue 6 that trigger.test.ts and trigger-wait.test.ts leave out: what the user sees,
// and what reached the fake GitLab.
import { describe, expect, it } from 'vitest'
import { ADA, ADA_TRIGGER, DEMO_PROJECT } from '../fake-gitlab/seed.ts'
import type { FakeGitLab } from '../fake-gitlab/server.ts'
import { useSeededGitLab } from './seeded-gitlab.ts'
import { spawnGlt } from './spawn-glt.ts'

let gitlab: FakeGitLab

useSeededGitLab((fake) => (gitlab = fake))

const trigger = () =>
  spawnGlt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'], { env: { GITLAB_HOST: gitlab.url, GLT_TRIGGER_TOKEN: ADA_TRIGGER.token } })
const whoami = () => spawnGlt(['whoami'], { env: { GITLAB_HOST: gitlab.url, GITLAB_TOKEN: ADA.pat } })
const sent = (route: string) => gitlab.requests.filter((r) => r.route === route)
const host = () => new URL(gitlab.url).host

describe('glt trigger (POST): a fault after sending is reported, never retried', () => {
  it('says the pipeline exists when the 201 arrives with truncated JSON', async () => {
    gitlab.inject('trigger', { truncateJson: true })
    const result = await trigger()
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'glt: GitLab created the pipeline (201 Created), but its answer was malformed or truncated JSON',
      `glt cannot tell which pipeline it is: see ${gitlab.url}/${DEMO_PROJECT.path}/-/pipelines before triggering again.`,
    ])
    expect(sent('trigger')).toHaveLength(1)
    expect(gitlab.pipelines).toHaveLength(1)
  })

  it('caps a 30 MB answer that has no Content-Length', async () => {
    gitlab.inject('trigger', { hugeBodyBytes: 30 * 1024 * 1024, chunked: true })
    const result = await trigger()
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toContain(`glt: ${host()} sent an answer larger than 8 MiB; glt stopped reading it\n`)
    expect(sent('trigger')).toHaveLength(1)
  })

  it('reports a 429 whose Retry-After is too long to sit through', async () => {
    gitlab.inject('trigger', { status: 429, retryAfter: 600 })
    const result = await trigger()
    expect(result).toMatchObject({ exitCode: 1, stdout: '', stderr: 'glt: GitLab is rate limiting requests (429 Too Many Requests)\nRetry in 600 seconds.\n' })
    expect(sent('trigger')).toHaveLength(1)
    expect(gitlab.pipelines).toEqual([])
  })

  it('gives up on 429s after three attempts, with no pipeline', async () => {
    gitlab.inject('trigger', { status: 429, times: Infinity })
    const result = await trigger()
    expect(result.exitCode).toBe(1)
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'glt: GitLab answered 429; retrying in 1s',
      'glt: GitLab answered 429; retrying in 2s',
      'glt: GitLab is rate limiting requests (429 Too Many Requests)',
      'Wait a minute before retrying.',
    ])
    expect(sent('trigger')).toHaveLength(3)
    expect(gitlab.pipelines).toEqual([])
  })
})

describe('reads (GET): retried with backoff on 5xx and lost connections', () => {
  it('a 503, then the answer', async () => {
    gitlab.inject('user', { status: 503 })
    const result = await whoami()
    expect(result).toMatchObject({ exitCode: 0, stderr: 'glt: GitLab answered 503; retrying in 1s\n' })
    expect(result.stdout).toContain('ada (Ada Lovelace)')
    expect(sent('user')).toHaveLength(2)
  })

  it('a connection dropped before the answer, then the answer', async () => {
    gitlab.inject('user', { destroyBeforeResponse: true })
    const result = await whoami()
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toMatch(/^glt: .*; retrying in 1s\n$/)
    expect(sent('user')).toHaveLength(2)
  })

  it('502 every time: three attempts, the pause doubling, then the explanation', async () => {
    gitlab.inject('user', { status: 502, times: Infinity })
    const result = await whoami()
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'glt: GitLab answered 502; retrying in 1s',
      'glt: GitLab answered 502; retrying in 2s',
      `glt: GitLab at ${host()} failed with 502 Bad Gateway`,
      'This is on the server side; retry in a moment.',
    ])
    expect(sent('user')).toHaveLength(3)
  })

  it('truncated JSON is not retried: it is explained', async () => {
    gitlab.inject('user', { truncateJson: true })
    const result = await whoami()
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `glt: ${host()} answered 200 with malformed or truncated JSON, not GitLab's JSON`,
      `Is --host right? ${gitlab.url} should be the GitLab instance itself (a proxy or login page may be in the way).`,
    ])
    expect(sent('user')).toHaveLength(1)
  })
})
