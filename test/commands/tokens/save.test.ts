import { describe, expect, it } from 'vitest'
import { CancelledError } from '../../../src/errors.ts'
import { setupMsw, useGitLab } from '../../helpers/msw.ts'
import { runGlt, stripAnsi } from '../../helpers/run-glt.ts'
import { ENV, HOST, machine, MINE, MINE_2, PAT, PROJECT, triggersApi } from './gitlab.ts'

setupMsw()

const SAVE = ['tokens', 'save', '-p', PROJECT.path]

describe('glt tokens save', () => {
  it('reads the token from stdin and, with a personal access token, saves it under the project\'s ID and path', async () => {
    const saved = machine()
    const api = triggersApi()
    useGitLab(api.project())
    const result = await runGlt([...SAVE, '--token-stdin'], { env: ENV, stdin: `${MINE}\n`, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 0, stdout: '' })
    expect(result.stderr).toBe('✓ Saved the trigger token for acme/app in the OS keychain: glptt-…1111\n')
    expect(api.requests).toEqual([`GET /projects/${PROJECT.encoded}`])
    expect(api.tokens).toEqual([PAT])
    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBe(MINE)
    expect((await saved.credentials.findTriggerToken(HOST, '42'))?.token).toBe(MINE)
  })

  it('without a personal access token, saves it under the name given and sends nothing', async () => {
    const saved = machine()
    const result = await runGlt([...SAVE, '--token-stdin'], {
      env: { GITLAB_HOST: ENV.GITLAB_HOST },
      stdin: MINE,
      keychain: saved.keychain,
      configDir: saved.configDir,
    })
    expect(result.exitCode).toBe(0)
    expect(await saved.keychain.get('trigger@gitlab.test/acme/app')).toBe(MINE)
  })

  it('in a terminal asks for the token with a masked prompt, and says what it replaced', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { paths: [PROJECT.path] }, MINE_2, 'keychain')
    const result = await runGlt(SAVE, {
      env: { GITLAB_HOST: ENV.GITLAB_HOST },
      tty: true,
      keychain: saved.keychain,
      configDir: saved.configDir,
      prompts: [{ kind: 'secret', message: 'Trigger token for acme/app:', answer: MINE }],
    })
    expect(result.exitCode).toBe(0)
    expect(stripAnsi(result.stderr)).toBe('✓ Saved the trigger token for acme/app in the OS keychain: glptt-…1111 (replacing glptt-…2222)\n')
    expect((await saved.credentials.findTriggerToken(HOST, PROJECT.path))?.token).toBe(MINE)
  })

  it('--insecure-storage warns, then saves in the plain-text file', async () => {
    const saved = machine()
    const result = await runGlt([...SAVE, '--token-stdin', '--insecure-storage'], {
      env: { GITLAB_HOST: ENV.GITLAB_HOST },
      stdin: MINE,
      keychain: saved.keychain,
      configDir: saved.configDir,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('! --insecure-storage: saving the token in plain text')
    expect(await saved.credentials.findTriggerToken(HOST, PROJECT.path)).toMatchObject({ token: MINE, store: 'file' })
  })

  it('warns that GLT_TRIGGER_TOKEN, when set, wins over the saved token', async () => {
    const result = await runGlt([...SAVE, '--token-stdin'], { env: { GITLAB_HOST: ENV.GITLAB_HOST, GLT_TRIGGER_TOKEN: MINE_2 }, stdin: MINE })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('! GLT_TRIGGER_TOKEN is set: glt trigger uses it instead of the saved token until you unset it.\n')
  })

  it('still saves when GitLab cannot say the project\'s other name, and says so', async () => {
    const saved = machine()
    useGitLab(triggersApi().fail('get', '', 404, { message: '404 Project Not Found' }))
    const result = await runGlt([...SAVE, '--token-stdin'], { env: ENV, stdin: MINE, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toMatch(/^Could not look up acme\/app on gitlab.test \(.*404.*\); saving the token under acme\/app only\.\n/)
    expect(await saved.keychain.get('trigger@gitlab.test/acme/app')).toBe(MINE)
  })
})

describe('glt tokens save: refusals', () => {
  it('refuses a personal access token (glpat-), saving nothing', async () => {
    const saved = machine()
    const result = await runGlt([...SAVE, '--token-stdin'], { env: ENV, stdin: PAT, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: the token from --token-stdin is a personal access token (glpat-…), not a pipeline trigger token\n' +
        'GitLab answers 404 Not Found when a personal access token is used to trigger; create a trigger token in Settings > CI/CD > Pipeline trigger tokens, or with: glt tokens create\n',
    )
    expect(await saved.credentials.list()).toEqual([])
  })

  it('is a usage error naming --token-stdin without a terminal', async () => {
    const result = await runGlt(SAVE, { env: ENV })
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe(
      'glt: missing --token-stdin: glt cannot prompt for the token here\n' +
        'Pipe the token in, for example: printenv TRIGGER_TOKEN | glt tokens save -p group/app --token-stdin\n',
    )
  })

  it('is a usage error naming --project in a pipe', async () => {
    const result = await runGlt(['tokens', 'save', '--token-stdin'], { env: ENV, stdin: MINE })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('missing --project')
  })

  it('never prompts with GLT_NO_PROMPT set', async () => {
    const result = await runGlt(SAVE, { env: { ...ENV, GLT_NO_PROMPT: '1' }, tty: true })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('missing --token-stdin')
  })

  it('refuses --token-stdin at a terminal', async () => {
    const result = await runGlt([...SAVE, '--token-stdin'], { env: ENV, tty: true })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--token-stdin needs the token piped in')
  })

  it('refuses an empty token, and exits 130 on Ctrl-C at the prompt, saving nothing', async () => {
    const saved = machine()
    const empty = await runGlt(SAVE, { env: ENV, tty: true, keychain: saved.keychain, configDir: saved.configDir, prompts: [{ kind: 'secret', answer: ' ' }] })
    expect(empty.exitCode).toBe(2)
    expect(empty.stderr).toContain('glt: no token given')
    const cancelled = await runGlt(SAVE, {
      env: ENV,
      tty: true,
      keychain: saved.keychain,
      configDir: saved.configDir,
      prompts: [{ kind: 'secret', answer: new CancelledError('cancelled', { key: 'cancelled' }) }],
    })
    expect(cancelled.exitCode).toBe(130)
    expect(await saved.credentials.list()).toEqual([])
  })
})
