import { mkdtempSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createAccountIndex } from '../../src/auth/account-index.ts'
import { createMemoryKeychain, createUnavailableKeychain } from '../../src/auth/keychain.ts'
import { CancelledError } from '../../src/errors.ts'
import { API, TEST_HOST, setupMsw, useGitLab } from '../helpers/msw.ts'
import { runGlt, stripAnsi } from '../helpers/run-glt.ts'

setupMsw()

const PAT = 'glpat-0123456789abcdefghij'
const ENV = { GITLAB_HOST: TEST_HOST }
const TOKENS_PAGE = `${TEST_HOST}/-/user_settings/personal_access_tokens`

/** `YYYY-MM-DD`, `days` from now. */
function dateIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

/** GitLab answering for PAT only, recording the token each request carried. */
function gitLabAccepting(self: Record<string, unknown> | 404 = { id: 3, name: 'laptop', scopes: ['api', 'read_user'], expires_at: '2099-01-31' }) {
  const tokens: (string | null)[] = []
  const check = (request: Request) => {
    tokens.push(request.headers.get('private-token'))
    return request.headers.get('private-token') === PAT
  }
  useGitLab(
    http.get(`${API}/user`, ({ request }) =>
      check(request) ? HttpResponse.json({ id: 7, username: 'jdoe', name: 'Jane Doe' }) : HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 }),
    ),
    http.get(`${API}/personal_access_tokens/self`, ({ request }) =>
      check(request) && self !== 404 ? HttpResponse.json(self) : HttpResponse.json({ message: '404 Not Found' }, { status: 404 }),
    ),
  )
  return tokens
}

function newConfigDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'glt-config-'))
}

async function indexOf(configDir: string) {
  return createAccountIndex({ configDir }).list()
}

describe('glt login: where the token comes from', () => {
  it('asks for the token with a masked prompt in a terminal, checks it, and saves it in the keychain', async () => {
    const sent = gitLabAccepting()
    const keychain = createMemoryKeychain()
    const configDir = newConfigDir()
    const result = await runGlt(['login'], {
      env: ENV,
      tty: true,
      keychain,
      configDir,
      prompts: [{ kind: 'secret', message: 'Personal access token for gitlab.test:', answer: PAT }],
    })
    expect(result).toMatchObject({ exitCode: 0, stdout: '' })
    expect(stripAnsi(result.stderr)).toBe(
      [
        `Create a personal access token with the api scope at ${TOKENS_PAGE}?name=glt&scopes=api`,
        '✓ Logged in to gitlab.test as jdoe (Jane Doe)',
        'Token "laptop": scopes api, read_user; expires 2099-01-31',
        'Saved in the OS keychain.',
        '',
      ].join('\n'),
    )
    expect(sent).toEqual([PAT, PAT])
    expect(await keychain.get('pat@gitlab.test')).toBe(PAT)
    expect(await indexOf(configDir)).toMatchObject([{ kind: 'pat', host: 'gitlab.test', store: 'keychain' }])
  })

  it.each([
    ['--token-stdin', ['login', '--token-stdin']],
    ['a pipe without the flag', ['login']],
  ])('reads a piped token (%s), trimming the newline', async (_name, argv) => {
    gitLabAccepting()
    const keychain = createMemoryKeychain()
    const result = await runGlt(argv, { env: ENV, stdin: `${PAT}\n`, keychain })
    expect(result).toMatchObject({ exitCode: 0, stdout: '' })
    expect(result.stderr).toContain('Logged in to gitlab.test as jdoe (Jane Doe)')
    expect(await keychain.get('pat@gitlab.test')).toBe(PAT)
  })

  it('logs in to the host given with --host', async () => {
    const seen: string[] = []
    useGitLab(
      http.get('https://gitlab.example.com/api/v4/user', ({ request }) => {
        seen.push(request.url)
        return HttpResponse.json({ id: 7, username: 'jdoe', name: 'Jane Doe' })
      }),
      http.get('https://gitlab.example.com/api/v4/personal_access_tokens/self', () => HttpResponse.json({ id: 3, name: 'ci', scopes: ['api'], expires_at: null })),
    )
    const keychain = createMemoryKeychain()
    const result = await runGlt(['login', '--host', 'gitlab.example.com', '--token-stdin'], { env: ENV, stdin: PAT, keychain })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('Logged in to gitlab.example.com as jdoe')
    expect(result.stderr).toContain('Token "ci": scopes api; never expires')
    expect(seen).toEqual(['https://gitlab.example.com/api/v4/user'])
    expect(await keychain.get('pat@gitlab.example.com')).toBe(PAT)
    expect(await keychain.get('pat@gitlab.test')).toBeUndefined()
  })

  it('is a usage error naming --token-stdin without a terminal and without piped input', async () => {
    const result = await runGlt(['login'], { env: ENV })
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe(
      'glt: no token: standard input was empty, and glt cannot prompt here\n' +
        'Pipe a personal access token in with --token-stdin, for example: printenv GITLAB_PAT | glt login --token-stdin\n',
    )
  })

  it('is a usage error naming --token-stdin in a terminal where prompts are off', async () => {
    const result = await runGlt(['login'], { env: { ...ENV, GLT_NO_PROMPT: '1' }, tty: true })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--token-stdin')
  })

  it('refuses --token-stdin at a terminal, where the token would be echoed', async () => {
    const result = await runGlt(['login', '--token-stdin'], { env: ENV, tty: true })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('glt: --token-stdin needs the token piped in, not typed at a terminal')
  })

  it('exits 130 with nothing saved on Ctrl-C at the prompt', async () => {
    const configDir = newConfigDir()
    const result = await runGlt(['login'], {
      env: ENV,
      tty: true,
      configDir,
      prompts: [{ kind: 'secret', answer: new CancelledError('cancelled', { key: 'cancelled' }) }],
    })
    expect(result.exitCode).toBe(130)
    expect(await indexOf(configDir)).toEqual([])
  })
})

describe('glt login: checking the token', () => {
  it('refuses a trigger token before sending it, and says where to create a personal access token', async () => {
    const configDir = newConfigDir()
    const trigger = 'glptt-0123456789abcdef0123'
    const result = await runGlt(['login', '--token-stdin'], { env: ENV, stdin: trigger, configDir })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: the token given is a pipeline trigger token (glptt-…), not a personal access token\n' +
        `A trigger token can only start pipelines. glt login takes a personal access token with the api scope: create one at ${TOKENS_PAGE}.\n`,
    )
    expect(await indexOf(configDir)).toEqual([])
  })

  it('exits 3 and saves nothing when GitLab answers 401', async () => {
    useGitLab(http.get(`${API}/user`, () => HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 })))
    const configDir = newConfigDir()
    const keychain = createMemoryKeychain()
    const result = await runGlt(['login', '--token-stdin'], { env: ENV, stdin: PAT, configDir, keychain })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: GitLab at gitlab.test rejected the token (401 Unauthorized): it is invalid, expired or revoked; nothing was saved\n' +
        `Create a personal access token with the api scope at ${TOKENS_PAGE}, then run glt login again.\n`,
    )
    expect(await indexOf(configDir)).toEqual([])
    expect(await keychain.get('pat@gitlab.test')).toBeUndefined()
  })

  it('logs in anyway, scopes unknown, when GitLab cannot describe the token (404)', async () => {
    gitLabAccepting(404)
    const keychain = createMemoryKeychain()
    const result = await runGlt(['login', '--token-stdin'], { env: ENV, stdin: PAT, keychain })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toBe(
      '✓ Logged in to gitlab.test as jdoe (Jane Doe)\n' +
        'Token scopes and expiry unknown: this GitLab does not report them for this token.\n' +
        'Saved in the OS keychain.\n',
    )
    expect(await keychain.get('pat@gitlab.test')).toBe(PAT)
  })

  it('warns when the token lacks the api scope or expires within 7 days', async () => {
    const expires = dateIn(3)
    gitLabAccepting({ id: 3, name: 'short', scopes: ['read_api'], expires_at: expires })
    const result = await runGlt(['login', '--token-stdin'], { env: ENV, stdin: PAT })
    expect(result.exitCode).toBe(0)
    const lines = result.stderr.split('\n')
    expect(lines).toContain(`Token "short": scopes read_api; expires ${expires}`)
    expect(lines).toContain('! The token lacks the api scope: glt tokens (creating, listing and revoking trigger tokens) needs it.')
    expect(lines.find((line) => line.startsWith('! The token expires'))).toMatch(
      new RegExp(`^! The token expires in 2 days \\(${expires}\\): create a new one at ${TOKENS_PAGE}, then run glt login again\\.$`),
    )
  })

  it('does not warn about a token with the api scope that expires in more than 7 days', async () => {
    gitLabAccepting({ id: 3, name: 'long', scopes: ['api'], expires_at: dateIn(30) })
    const result = await runGlt(['login', '--token-stdin'], { env: ENV, stdin: PAT })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).not.toContain('!')
  })

  it('never prints the token', async () => {
    gitLabAccepting()
    const result = await runGlt(['--debug', 'login', '--token-stdin'], { env: ENV, stdin: PAT })
    expect(result.exitCode).toBe(0)
    expect(result.stdout + result.stderr).not.toContain(PAT)
  })
})

describe('glt login: saving', () => {
  it('writes the plain-text file with --insecure-storage, after a warning, and leaves the keychain alone', async () => {
    gitLabAccepting()
    const configDir = newConfigDir()
    const keychain = createMemoryKeychain()
    const result = await runGlt(['login', '--token-stdin', '--insecure-storage'], { env: ENV, stdin: PAT, configDir, keychain })
    expect(result.exitCode).toBe(0)
    const file = path.join(configDir, 'credentials.json')
    expect(result.stderr).toBe(
      `! --insecure-storage: saving the token in plain text in ${file}, readable by any program running as you.\n` +
        '✓ Logged in to gitlab.test as jdoe (Jane Doe)\n' +
        'Token "laptop": scopes api, read_user; expires 2099-01-31\n' +
        `Saved in ${file}.\n`,
    )
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, credentials: { 'pat@gitlab.test': PAT } })
    expect(await keychain.get('pat@gitlab.test')).toBeUndefined()
    expect(await indexOf(configDir)).toMatchObject([{ kind: 'pat', store: 'file' }])
  })

  it('exits 1 with the keychain error and its way out when the keychain is unavailable, before asking for the token', async () => {
    // No GitLab handlers and no scripted prompt: glt neither sends nor asks anything.
    const configDir = newConfigDir()
    const result = await runGlt(['login'], { env: ENV, tty: true, configDir, keychain: createUnavailableKeychain() })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toContain('glt: The OS keychain is unavailable')
    expect(result.stderr).toContain('--insecure-storage')
    expect(result.stderr).not.toContain('Logged in')
    expect(await indexOf(configDir)).toEqual([])
  })

  it('says that GITLAB_TOKEN, when set, is used instead of the saved token', async () => {
    gitLabAccepting()
    const result = await runGlt(['login', '--token-stdin'], { env: { ...ENV, GITLAB_TOKEN: 'glpat-other-token-000000' }, stdin: PAT })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('! GITLAB_TOKEN is set: glt uses it instead of the saved token until you unset it.\n')
  })

  it('replaces the token saved before for the same host', async () => {
    gitLabAccepting()
    const keychain = createMemoryKeychain({ 'pat@gitlab.test': 'glpat-old-token-00000000' })
    const configDir = newConfigDir()
    await createAccountIndex({ configDir }).record({ kind: 'pat', account: 'pat@gitlab.test', host: 'gitlab.test', store: 'keychain', savedAt: '2024-01-01T00:00:00.000Z' })
    const result = await runGlt(['login', '--token-stdin'], { env: ENV, stdin: PAT, keychain, configDir })
    expect(result.exitCode).toBe(0)
    expect(await keychain.get('pat@gitlab.test')).toBe(PAT)
    expect(await indexOf(configDir)).toHaveLength(1)
  })
})
