import { describe, expect, it } from 'vitest'
import { createUnavailableKeychain } from '../../../src/auth/keychain.ts'
import { CancelledError } from '../../../src/errors.ts'
import { setupMsw, useGitLab } from '../../helpers/msw.ts'
import { runGlt, stripAnsi } from '../../helpers/run-glt.ts'
import { ENV, FORBIDDEN, HOST, machine, MINE, MINE_2, PAT, PROJECT, recordSavedInKeychain, THEIRS, trigger, triggersApi, UNAUTHORIZED } from './gitlab.ts'

setupMsw()

const NOW = new Date('2026-02-15T09:00:00.000Z')
const TRIGGERS = [
  trigger(1, { description: 'deploy from Jenkins', last_used: '2026-02-14T09:00:00.000Z' }),
  trigger(2, { theirs: true, description: 'nightly', expires_at: '2026-01-31' }),
  trigger(3, { token: MINE_2, description: null, expires_at: '2026-12-31' }),
]
const LIST = ['tokens', 'list', '-p', PROJECT.path]

describe('glt tokens list', () => {
  it('in a pipe: tab-separated rows, ISO times, tokens masked, other members\' tokens as GitLab sent them', async () => {
    const api = triggersApi()
    useGitLab(api.list(TRIGGERS))
    const result = await runGlt(LIST, { env: ENV, now: NOW })
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(result.stdout).toBe(
      [
        '1\tdeploy from Jenkins\tjdoe\t2026-01-10T09:00:00.000Z\t2026-02-14T09:00:00.000Z\t\tglptt-…1111\t',
        '2\tnightly\trsmith\t2026-01-10T09:00:00.000Z\t\t2026-01-31\tglpt\t',
        '3\t\tjdoe\t2026-01-10T09:00:00.000Z\t\t2026-12-31\tglptt-…2222\t',
        '',
      ].join('\n'),
    )
    expect(api.requests).toEqual([`GET /projects/${PROJECT.encoded}/triggers?per_page=100&page=1`])
    expect(api.tokens).toEqual([PAT])
  })

  it('in a terminal: a table with relative times and expiry, and a hint about --show-token', async () => {
    useGitLab(triggersApi().list(TRIGGERS))
    const result = await runGlt(LIST, { env: ENV, now: NOW, tty: true })
    expect(result.exitCode).toBe(0)
    expect(stripAnsi(result.stdout)).toBe(
      [
        'ID  DESCRIPTION          OWNER   CREATED      LAST USED  EXPIRES              TOKEN        SAVED',
        '1   deploy from Jenkins  jdoe    1 month ago  1 day ago  never                glptt-…1111',
        '2   nightly              rsmith  1 month ago  never      expired 15 days ago  glpt',
        '3                        jdoe    1 month ago  never      in 10 months         glptt-…2222',
        '',
      ].join('\n'),
    )
    expect(stripAnsi(result.stderr)).toBe('Tokens are masked; add --show-token to print them in full.\n')
  })

  it('--show-token prints the user\'s own tokens in full, and others\' still as GitLab cut them', async () => {
    useGitLab(triggersApi().list(TRIGGERS))
    const result = await runGlt([...LIST, '--show-token'], { env: ENV })
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split('\n').map((line) => line.split('\t')[6])).toEqual([MINE, 'glpt', MINE_2, undefined])
  })

  it('--json prints GitLab\'s objects, tokens masked; with --show-token, in full', async () => {
    useGitLab(triggersApi().list(TRIGGERS))
    const masked = await runGlt([...LIST, '--json'], { env: ENV })
    expect(masked).toMatchObject({ exitCode: 0, stderr: '' })
    expect(JSON.parse(masked.stdout)).toEqual([
      { ...TRIGGERS[0], token: 'glptt-…1111' },
      { ...TRIGGERS[1], token: 'glpt' },
      { ...TRIGGERS[2], token: 'glptt-…2222' },
    ])
    expect(masked.stdout).not.toContain(MINE)

    useGitLab(triggersApi().list(TRIGGERS))
    const full = await runGlt([...LIST, '--json', '--show-token'], { env: ENV })
    expect(JSON.parse(full.stdout)).toEqual(TRIGGERS)
  })

  it('--json prints [] for a project without trigger tokens; the table says so on stderr', async () => {
    useGitLab(triggersApi().list([]))
    expect(await runGlt([...LIST, '--json'], { env: ENV })).toMatchObject({ exitCode: 0, stdout: '[]\n', stderr: '' })
    useGitLab(triggersApi().list([]))
    expect(await runGlt(LIST, { env: ENV })).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: 'No trigger tokens in acme/app. Create one with: glt tokens create -p acme/app\n',
    })
  })
})

describe('glt tokens list: the SAVED column', () => {
  it('marks the row whose token is the saved one with where it is saved, and no other', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE_2, 'keychain')
    useGitLab(triggersApi().list(TRIGGERS))
    const result = await runGlt(LIST, { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.stdout.split('\n').map((line) => line.split('\t')[7])).toEqual(['', '', 'keychain', undefined])

    useGitLab(triggersApi().list(TRIGGERS))
    const table = await runGlt(LIST, { env: ENV, keychain: saved.keychain, configDir: saved.configDir, tty: true, now: NOW })
    expect(stripAnsi(table.stdout).split('\n')[3]).toMatch(/glptt-…2222 {2}keychain$/)
    expect(table.stderr).not.toContain('?')
  })

  it('marks every row of another member whose 4 characters start the saved token "keychain?", and explains it', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { paths: [PROJECT.path] }, THEIRS, 'file')
    const listed = [...TRIGGERS, trigger(4, { theirs: true }), trigger(5, { theirs: true, token: 'ab12' })]
    useGitLab(triggersApi().list(listed))
    const result = await runGlt(LIST, { env: ENV, keychain: saved.keychain, configDir: saved.configDir, tty: true, now: NOW })
    expect(result.exitCode).toBe(0)
    const saves = stripAnsi(result.stdout)
      .split('\n')
      .slice(1, -1)
      .map((line) => /(file\??)$/.exec(line)?.[1] ?? '')
    expect(saves).toEqual(['', 'file?', '', 'file?', ''])
    expect(stripAnsi(result.stderr)).toContain(
      "? GitLab shows only the first 4 characters of other members' tokens: the saved token may be one of those marked.\n",
    )
  })

  it('marks a legacy token without prefix only where its 4 characters match', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { paths: [PROJECT.path] }, 'ab12cd34ef56ab12cd34', 'keychain')
    useGitLab(triggersApi().list([trigger(1, { theirs: true }), trigger(2, { theirs: true, token: 'ab12' })]))
    const result = await runGlt(LIST, { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.stdout).toBe(
      '1\ttoken 1\trsmith\t2026-01-10T09:00:00.000Z\t\t\tglpt\t\n2\ttoken 2\trsmith\t2026-01-10T09:00:00.000Z\t\t\tab12\tkeychain?\n',
    )
  })

  it('still lists when the keychain cannot be read, saying saved tokens are not marked', async () => {
    const saved = machine(createUnavailableKeychain())
    // The index says a token is saved in the keychain; reading it from there fails.
    await recordSavedInKeychain(saved.configDir)
    useGitLab(triggersApi().list(TRIGGERS))
    const result = await runGlt(LIST, { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split('\n')).toHaveLength(4)
    expect(result.stderr).toMatch(/^! .*keychain.* Saved tokens are not marked\.\n$/i)
  })
})

describe('glt tokens list: failures', () => {
  it('a 403 exits 3 and says the Maintainer role is needed', async () => {
    useGitLab(triggersApi().fail('get', '/triggers', 403, FORBIDDEN))
    const result = await runGlt(LIST, { env: ENV })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: GitLab refused listing the trigger tokens of acme/app (403 Forbidden)\n' +
        'Managing trigger tokens needs the Maintainer or Owner role in acme/app; ask a Maintainer to do it, or to raise your role.\n',
    )
  })

  it('a 401 exits 3 and says how to give a valid token', async () => {
    useGitLab(triggersApi().fail('get', '/triggers', 401, UNAUTHORIZED))
    const result = await runGlt(LIST, { env: ENV })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: GitLab rejected the token while listing the trigger tokens of acme/app (401 Unauthorized)\n' +
        'The token may be revoked or expired: set GITLAB_TOKEN or run glt login --host gitlab.test.\n',
    )
  })

  it('without a personal access token exits 3 before sending anything', async () => {
    const result = await runGlt(LIST, { env: { GITLAB_HOST: ENV.GITLAB_HOST } })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: no GitLab token for gitlab.test\nRun glt login --host gitlab.test, or set GITLAB_TOKEN to a personal access token with the api scope.\n',
    )
  })

  it('refuses a trigger token given as GITLAB_TOKEN before sending it', async () => {
    const result = await runGlt(LIST, { env: { ...ENV, GITLAB_TOKEN: MINE } })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toContain('GITLAB_TOKEN')
    expect(result.stderr).not.toContain(MINE)
  })
})

describe('glt tokens list: the project', () => {
  it('is a usage error naming --project in a pipe, with nothing sent', async () => {
    const result = await runGlt(['tokens', 'list'], { env: ENV })
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe(
      'glt: missing --project: the project (its ID or full path)\n' +
        'Pass --project, or run glt inside a git checkout whose origin is on this GitLab host.\n',
    )
  })

  it('is asked for in a terminal', async () => {
    const api = triggersApi('42')
    useGitLab(api.list([]))
    const result = await runGlt(['tokens', 'list'], { env: ENV, tty: true, prompts: [{ kind: 'text', message: 'GitLab project', answer: '42' }] })
    expect(result.exitCode).toBe(0)
    expect(api.requests).toEqual(['GET /projects/42/triggers?per_page=100&page=1'])
  })

  it.each([
    ['GLT_NO_PROMPT', { GLT_NO_PROMPT: '1' }],
    ['CI', { CI: 'true' }],
  ])('is never asked for with %s set, even in a terminal', async (_name, extra) => {
    const result = await runGlt(['tokens', 'list'], { env: { ...ENV, ...extra }, tty: true })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('missing --project')
  })

  it('exits 130 on Ctrl-C at the project prompt, with nothing sent', async () => {
    const result = await runGlt(['tokens', 'list'], {
      env: ENV,
      tty: true,
      prompts: [{ kind: 'text', answer: new CancelledError('cancelled', { key: 'cancelled' }) }],
    })
    expect(result).toMatchObject({ exitCode: 130, stdout: '' })
  })
})
