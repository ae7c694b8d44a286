import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { API, TEST_HOST, setupMsw, useGitLab } from '../helpers/msw.ts'
import { runGlt } from '../helpers/run-glt.ts'

setupMsw()

const TOKEN = 'glptt-0123456789abcdef0123456789abcdef0002'
const ARGV = ['trigger', '-p', 'acme/app', '-r', 'main']

function answer500() {
  useGitLab(http.post(`${API}/projects/:id/trigger/pipeline`, () => HttpResponse.json({ message: 'boom' }, { status: 500 })))
}

describe('GLT_DEBUG', () => {
  it('=1 acts as --debug: the exchange and the stack, without the token', async () => {
    answer500()
    const result = await runGlt(ARGV, { env: { GITLAB_HOST: TEST_HOST, GLT_TRIGGER_TOKEN: TOKEN, GLT_DEBUG: '1' } })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('debug: > POST https://gitlab.test/api/v4/projects/acme%2Fapp/trigger/pipeline')
    expect(result.stderr).toMatch(/\n {4}at /)
    expect(result.stderr).not.toContain(TOKEN)
  })

  it.each(['0', '', 'no'])('=%j leaves debugging off', async (value) => {
    answer500()
    const result = await runGlt(ARGV, { env: { GITLAB_HOST: TEST_HOST, GLT_TRIGGER_TOKEN: TOKEN, GLT_DEBUG: value } })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).not.toContain('debug:')
    expect(result.stderr).not.toMatch(/\n {4}at /)
  })
})
