import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import type { Credentials } from '../../src/auth/credentials.ts'
import { createMemoryKeychain, createUnavailableKeychain, type Keychain } from '../../src/auth/keychain.ts'
import { resolveHost } from '../../src/config/host.ts'
import { machine } from '../helpers/machine.ts'
import { API, TEST_HOST, setupMsw, useGitLab } from '../helpers/msw.ts'
import { runGlt, stripAnsi } from '../helpers/run-glt.ts'

setupMsw()

const PAT = 'glpat-0123456789abcdefghij'
const TRIGGER_A = 'glptt-0123456789abcdef0000aaaa'
const TRIGGER_B = 'glptt-0123456789abcdef0000bbbb'
const ENV = { GITLAB_HOST: TEST_HOST }
const host = resolveHost(TEST_HOST, {})

function dateIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

/** A config folder and keychain holding what `save` puts there; `run` uses the same ones. */
async function withSaved(save: (c: Credentials) => Promise<unknown> = async () => {}, keychain: Keychain = createMemoryKeychain()) {
  const saved = machine(keychain)
  await save(saved.credentials)
  return { configDir: saved.configDir, keychain }
}

/** GitLab knowing PAT as jdoe's token; any other token gets 401. */
function gitLabKnowing(self: Record<string, unknown> | 404 = { id: 3, name: 'laptop', scopes: ['api', 'read_user'], expires_at: '2099-01-31' }) {
  const ok = (request: Request) => request.headers.get('private-token') === PAT
  useGitLab(
    http.get(`${API}/user`, ({ request }) =>
      ok(request) ? HttpResponse.json({ id: 7, username: 'jdoe', name: 'Jane Doe', state: 'active' }) : HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 }),
    ),
    http.get(`${API}/personal_access_tokens/self`, () => (self === 404 ? HttpResponse.json({ message: '404 Not Found' }, { status: 404 }) : HttpResponse.json(self))),
  )
}

const saveTriggers = async (c: Credentials) => {
  await c.saveTriggerToken(host, { id: 42, paths: ['acme/app'] }, TRIGGER_A, 'keychain')
  await c.saveTriggerToken(host, { paths: ['acme/web'] }, TRIGGER_B, 'file')
}

describe('glt whoami: plain lines', () => {
  it('reports the host, user, token from GITLAB_TOKEN and saved trigger tokens, the same in a pipe as in a terminal', async () => {
    const expected = [
      'Host            gitlab.test (from GITLAB_HOST)',
      'User            jdoe (Jane Doe)',
      'Token           GITLAB_TOKEN',
      'Token name      laptop',
      'Scopes          api, read_user',
      'Expires         2099-01-31',
      'Job token       none',
      'Trigger tokens  acme/app (42)  keychain  glptt-…aaaa',
      '                acme/web       file      glptt-…bbbb',
      '',
    ].join('\n')
    for (const tty of [false, true]) {
      gitLabKnowing()
      const saved = await withSaved(saveTriggers)
      const result = await runGlt(['whoami'], { env: { ...ENV, GITLAB_TOKEN: PAT }, tty, ...saved })
      expect(result).toMatchObject({ exitCode: 0, stderr: '' })
      expect(stripAnsi(result.stdout)).toBe(expected)
      if (!tty) expect(result.stdout).toBe(expected)
    }
  })

  it('uses the token saved by glt login, and says where it is', async () => {
    gitLabKnowing()
    const saved = await withSaved((c) => c.savePat(host, PAT, 'keychain'))
    const result = await runGlt(['whoami', '--host', TEST_HOST], { ...saved })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Host            gitlab.test (from --host)\n')
    expect(result.stdout).toContain('Token           the token saved in the OS keychain\n')
    expect(result.stdout).toContain('Trigger tokens  none\n')
  })

  it('says when GITLAB_TOKEN overrides a saved token', async () => {
    gitLabKnowing()
    const saved = await withSaved((c) => c.savePat(host, 'glpat-saved-but-unused-0000', 'file'))
    const result = await runGlt(['whoami'], { env: { ...ENV, GITLAB_TOKEN: PAT }, ...saved })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Token           GITLAB_TOKEN (overrides the token saved in the credentials file)\n')
  })

  it('says the scopes are unknown when GitLab cannot describe the token (404)', async () => {
    gitLabKnowing(404)
    const result = await runGlt(['whoami'], { env: { ...ENV, GITLAB_TOKEN: PAT } })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Token           GITLAB_TOKEN\nScopes          unknown: this GitLab does not report them for this token\nJob token')
  })

  it('warns on stderr when the token expires within 7 days', async () => {
    const expires = dateIn(2)
    gitLabKnowing({ id: 3, name: 'short', scopes: ['api'], expires_at: expires })
    const result = await runGlt(['whoami'], { env: { ...ENV, GITLAB_TOKEN: PAT } })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`Expires         ${expires}\n`)
    expect(result.stderr).toBe(
      `! The token expires in 1 day (${expires}): create a new one at ${TEST_HOST}/-/user_settings/personal_access_tokens, then update GITLAB_TOKEN.\n`,
    )
  })

  it('prints what there is, without asking GitLab, when only trigger tokens and a job token exist', async () => {
    const saved = await withSaved(saveTriggers)
    const env = { GITLAB_CI: 'true', CI: 'true', CI_SERVER_URL: TEST_HOST, CI_JOB_TOKEN: 'glcbt-64_0123456789abcdefghij' }
    const result = await runGlt(['whoami'], { env, ...saved })
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(result.stdout).toBe(
      [
        'Host            gitlab.test (from CI_SERVER_URL)',
        'User            unknown: no personal access token (a trigger or job token cannot tell)',
        'Token           none',
        'Job token       CI_JOB_TOKEN (GitLab CI)',
        'Trigger tokens  acme/app (42)  keychain  glptt-…aaaa',
        '                acme/web       file      glptt-…bbbb',
        '',
      ].join('\n'),
    )
  })

  it('ignores CI_JOB_TOKEN outside GitLab CI', async () => {
    const result = await runGlt(['whoami'], { env: { ...ENV, CI_JOB_TOKEN: 'glcbt-64_0123456789abcdefghij' } })
    expect(result.exitCode).toBe(3)
  })

  it('never prints a token in full', async () => {
    const saved = await withSaved(saveTriggers)
    for (const json of [false, true]) {
      gitLabKnowing()
      const result = await runGlt(['whoami', ...(json ? ['--json'] : [])], { env: { ...ENV, GITLAB_TOKEN: PAT }, ...saved })
      for (const secret of [PAT, TRIGGER_A, TRIGGER_B]) expect(result.stdout + result.stderr).not.toContain(secret)
    }
  })
})

describe('glt whoami --json', () => {
  it('prints one object with the documented shape', async () => {
    gitLabKnowing()
    const saved = await withSaved(saveTriggers)
    const result = await runGlt(['whoami', '--json'], { env: { ...ENV, GITLAB_TOKEN: PAT }, ...saved })
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toEqual({
      host: 'gitlab.test',
      url: TEST_HOST,
      hostSource: 'GITLAB_HOST',
      user: { id: 7, username: 'jdoe', name: 'Jane Doe' },
      token: { source: 'GITLAB_TOKEN', name: 'laptop', scopes: ['api', 'read_user'], expiresAt: '2099-01-31' },
      jobToken: false,
      triggerTokens: [
        { project: 'acme/app', projectId: 42, store: 'keychain', token: 'glptt-…aaaa' },
        { project: 'acme/web', projectId: null, store: 'file', token: 'glptt-…bbbb' },
      ],
      keychain: 'ok',
    })
  })

  it('gives null user and token, and keychain "unused", with only a job token', async () => {
    const env = { GITLAB_CI: 'true', CI_SERVER_URL: TEST_HOST, CI_JOB_TOKEN: 'glcbt-64_0123456789abcdefghij' }
    const result = await runGlt(['whoami', '--json'], { env })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      host: 'gitlab.test',
      url: TEST_HOST,
      hostSource: 'CI_SERVER_URL',
      user: null,
      token: null,
      jobToken: true,
      triggerTokens: [],
      keychain: 'unused',
    })
  })

  it('gives null name, scopes and expiry when GitLab cannot describe the token', async () => {
    gitLabKnowing(404)
    const saved = await withSaved((c) => c.savePat(host, PAT, 'keychain'))
    const result = await runGlt(['whoami', '--json'], { env: ENV, ...saved })
    expect(JSON.parse(result.stdout)).toMatchObject({ token: { source: 'keychain', name: null, scopes: null, expiresAt: null }, keychain: 'ok' })
  })
})

describe('glt whoami: failures', () => {
  it('exits 3 with guidance when nothing is configured', async () => {
    const result = await runGlt(['whoami'], { env: ENV })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: nothing configured for gitlab.test: no personal access token, CI job token or saved trigger token\n' +
        'Run glt login --host gitlab.test, or set GITLAB_TOKEN to a personal access token with the api scope.\n',
    )
  })

  it('points at the hosts glt has tokens for, and at GLT_TRIGGER_TOKEN, when nothing is configured for this one', async () => {
    const saved = await withSaved((c) => c.savePat(resolveHost('gitlab.example.com', {}), PAT, 'keychain'))
    const result = await runGlt(['whoami'], { env: { GLT_TRIGGER_TOKEN: TRIGGER_A }, ...saved })
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toBe(
      'glt: nothing configured for gitlab.com: no personal access token, CI job token or saved trigger token\n' +
        'Run glt login --host gitlab.com, or set GITLAB_TOKEN to a personal access token with the api scope. ' +
        'glt has saved tokens for gitlab.example.com: pass --host or set GITLAB_HOST. ' +
        'GLT_TRIGGER_TOKEN is set: it can trigger pipelines, but cannot say who you are.\n',
    )
  })

  it('exits 3 saying so when GitLab rejects GITLAB_TOKEN (401)', async () => {
    useGitLab(http.get(`${API}/user`, () => HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 })))
    const result = await runGlt(['whoami', '--json'], { env: { ...ENV, GITLAB_TOKEN: 'glpat-revoked-token-0000' } })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: GitLab at gitlab.test rejected the personal access token from GITLAB_TOKEN (401 Unauthorized): it is invalid, expired or revoked\n' +
        `Set GITLAB_TOKEN to a valid token (create one at ${TEST_HOST}/-/user_settings/personal_access_tokens), or unset it to use the saved one.\n`,
    )
  })

  it('exits 3 telling to log in again when GitLab rejects the saved token', async () => {
    useGitLab(http.get(`${API}/user`, () => HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 })))
    const saved = await withSaved((c) => c.savePat(host, PAT, 'keychain'))
    const result = await runGlt(['whoami'], { env: ENV, ...saved })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toContain('rejected the personal access token from the token saved in the OS keychain (401 Unauthorized)')
    expect(result.stderr).toContain('then run glt login --host gitlab.test again.')
  })

  it('exits 3 when GITLAB_TOKEN holds a trigger token, without sending it', async () => {
    const result = await runGlt(['whoami'], { env: { ...ENV, GITLAB_TOKEN: TRIGGER_A } })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toContain('glt: GITLAB_TOKEN is a pipeline trigger token (glptt-…), not a personal access token\n')
  })

  it('reports an unavailable keychain and goes on when GITLAB_TOKEN is set', async () => {
    gitLabKnowing()
    const { configDir } = await withSaved(saveTriggers)
    const result = await runGlt(['whoami'], { env: { ...ENV, GITLAB_TOKEN: PAT }, configDir, keychain: createUnavailableKeychain() })
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(result.stdout).toContain(
      [
        'Trigger tokens  acme/app (42)  keychain  keychain unavailable',
        '                acme/web       file      glptt-…bbbb',
        'Keychain        unavailable: The OS keychain is unavailable: no Secret Service (such as gnome-keyring) is running on the D-Bus session bus.',
        '',
      ].join('\n'),
    )
    gitLabKnowing()
    const json = await runGlt(['whoami', '--json'], { env: { ...ENV, GITLAB_TOKEN: PAT }, configDir, keychain: createUnavailableKeychain() })
    expect(JSON.parse(json.stdout)).toMatchObject({
      user: { username: 'jdoe' },
      triggerTokens: [{ project: 'acme/app', token: null }, { project: 'acme/web', token: 'glptt-…bbbb' }],
      keychain: 'unavailable',
    })
  })

  it('exits 1 with the keychain error when the saved token is needed and the keychain is unavailable', async () => {
    const { configDir } = await withSaved((c) => c.savePat(host, PAT, 'keychain'))
    const result = await runGlt(['whoami'], { env: ENV, configDir, keychain: createUnavailableKeychain() })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toContain('glt: The OS keychain is unavailable')
    expect(result.stderr).toContain('GITLAB_TOKEN')
  })
})
