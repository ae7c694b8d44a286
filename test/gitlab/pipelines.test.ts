import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { resolveHost } from '../../src/config/host.ts'
import { createGitLabClient } from '../../src/gitlab/client.ts'
import { countJobs, watchPipeline } from '../../src/gitlab/pipelines.ts'
import { API, TEST_HOST, allowGitLab, setupMsw, useGitLab } from '../helpers/msw.ts'

setupMsw()

const client = createGitLabClient({
  host: resolveHost(TEST_HOST, {}),
  fetch: (url, init) => globalThis.fetch(url, init) as never,
  timeoutMs: 5000,
  userAgent: 'glt-test',
})

/** Answers the pipeline GETs in turn with these (status code, pipeline status or headers). */
function answerPolls(answers: ({ code: number; headers?: Record<string, string> } | string)[]) {
  let call = 0
  useGitLab(
    http.get(`${API}/projects/acme%2Fapp/pipelines/9`, () => {
      const answer = answers[Math.min(call++, answers.length - 1)]!
      if (typeof answer === 'string') return HttpResponse.json({ id: 9, status: answer, web_url: 'u', ref: 'main', project_id: 1 })
      return HttpResponse.json({ message: 'x' }, { status: answer.code, ...(answer.headers ? { headers: answer.headers } : {}) })
    }),
  )
  // Jobs are read only after a successful pipeline read: not every test gets there.
  allowGitLab(http.get(`${API}/projects/acme%2Fapp/pipelines/9/jobs`, () => HttpResponse.json([])))
}

/** A clock that only moves when glt sleeps, recording each pause. */
function fakeClock() {
  let now = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      if (ms > 0) sleeps.push(ms)
      now += ms
    },
  }
}

const watch = (clock: ReturnType<typeof fakeClock>, deadline?: number) =>
  watchPipeline({
    client,
    credential: { token: 'glpat-x', kind: 'pat' },
    project: 'acme/app',
    pipelineId: 9,
    intervalMs: 5000,
    deadline,
    now: clock.now,
    sleep: clock.sleep,
    onSnapshot: () => {},
  })

describe('watchPipeline', () => {
  it('looks right away, then once per interval, until the pipeline finishes', async () => {
    answerPolls(['pending', 'running', 'success'])
    const clock = fakeClock()
    const result = await watch(clock)
    expect(result).toMatchObject({ kind: 'finished', snapshot: { pipeline: { status: 'success' } } })
    expect(clock.sleeps).toEqual([5000, 5000])
  })

  it('backs off on 5xx, honours Retry-After on 429, and never polls faster than the interval', async () => {
    answerPolls([{ code: 502 }, { code: 503 }, { code: 429, headers: { 'Retry-After': '30' } }, { code: 429, headers: { 'Retry-After': '1' } }, 'success'])
    const clock = fakeClock()
    const result = await watch(clock)
    expect(result.kind).toBe('finished')
    expect(clock.sleeps).toEqual([5000, 10_000, 30_000, 5000])
  })

  it('keeps retrying transient failures until the deadline, then reports a time-out', async () => {
    answerPolls([{ code: 500 }])
    const clock = fakeClock()
    const result = await watch(clock, 60_000)
    expect(result).toEqual({ kind: 'timeout', snapshot: undefined })
    expect(clock.now()).toBe(60_000)
  })

  it('stops on a manual pipeline', async () => {
    answerPolls(['running', 'manual'])
    expect((await watch(fakeClock())).kind).toBe('manual')
  })

  it('ends with an explained error when the token cannot read the pipeline', async () => {
    answerPolls([{ code: 401 }])
    await expect(watch(fakeClock())).rejects.toMatchObject({ name: 'AuthError', exitCode: 3 })
  })
})

describe('countJobs', () => {
  it('counts by status, most advanced first', () => {
    const job = (status: string) => ({ id: 1, name: 'j', stage: 's', status, web_url: '' })
    expect(countJobs([job('success'), job('running'), job('failed'), job('running'), job('pending')])).toEqual([
      ['failed', 1],
      ['running', 2],
      ['pending', 1],
      ['success', 1],
    ])
  })
})
