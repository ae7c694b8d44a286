import { describe, expect, it } from 'vitest'
import { createUnavailableKeychain } from '../../../src/auth/keychain.ts'
import { CancelledError } from '../../../src/errors.ts'
import { setupMsw, useGitLab } from '../../helpers/msw.ts'
import { runGlt, stripAnsi } from '../../helpers/run-glt.ts'
import { ENV, FORBIDDEN, HOST, machine, MINE, MINE_2, PROJECT, recordSavedInKeychain, THEIRS, trigger, triggersApi } from './gitlab.ts'

setupMsw()

const TARGET = trigger(7, { description: 'deploy' })
const REVOKE = ['tokens', 'revoke', '7', '-p', PROJECT.path]
const GET = `GET /projects/${PROJECT.encoded}/triggers/7`
const DELETE = `DELETE /projects/${PROJECT.encoded}/triggers/7`
const LIST = `GET /projects/${PROJECT.encoded}/triggers?per_page=100&page=1`

describe('glt tokens revoke: confirmation', () => {
  it('without a terminal, --yes is required: exit 2, nothing sent', async () => {
    const result = await runGlt(REVOKE, { env: ENV })
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe(
      'glt: --yes is required to revoke where glt cannot ask (no terminal, or CI or GLT_NO_PROMPT set)\n' +
        'A revoked trigger token cannot be added back: add --yes to confirm, as in glt tokens revoke 7 -p acme/app --yes.\n',
    )
  })

  it.each([
    ['GLT_NO_PROMPT', { GLT_NO_PROMPT: '1' }],
    ['CI', { CI: 'true' }],
  ])('with %s set, --yes is required even in a terminal', async (_name, extra) => {
    const result = await runGlt(REVOKE, { env: { ...ENV, ...extra }, tty: true })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--yes is required')
  })

  it('with --yes, reads the token then revokes it', async () => {
    const api = triggersApi()
    useGitLab(api.get(TARGET), api.revoke(7))
    const result = await runGlt([...REVOKE, '--yes'], { env: ENV })
    expect(result).toMatchObject({ exitCode: 0, stdout: '' })
    expect(result.stderr).toBe('✓ Revoked trigger token 7 ("deploy") in acme/app\n')
    expect(api.requests).toEqual([GET, DELETE])
  })

  it('in a terminal, asks first, naming the token and saying it cannot be added back', async () => {
    const api = triggersApi()
    useGitLab(api.get(TARGET), api.revoke(7))
    const result = await runGlt(REVOKE, { env: ENV, tty: true, prompts: [{ kind: 'confirm', answer: true }] })
    expect(result.exitCode).toBe(0)
    expect(result.prompter.asked).toEqual(['Revoke trigger token 7 ("deploy", created by jdoe) in acme/app? A revoked trigger token cannot be added back.'])
    expect(stripAnsi(result.stderr)).toBe('✓ Revoked trigger token 7 ("deploy") in acme/app\n')
    expect(api.requests).toEqual([GET, DELETE])
  })

  it('declining exits 130 with nothing revoked', async () => {
    const api = triggersApi()
    useGitLab(api.get(TARGET))
    const result = await runGlt(REVOKE, { env: ENV, tty: true, prompts: [{ kind: 'confirm', answer: false }] })
    expect(result).toMatchObject({ exitCode: 130, stdout: '' })
    expect(result.stderr).toBe('glt: trigger token 7 ("deploy") was not revoked\n')
    expect(api.requests).toEqual([GET])
  })

  it('Ctrl-C at the question exits 130 with nothing revoked and the saved token kept', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE, 'keychain')
    const api = triggersApi()
    useGitLab(api.get(TARGET))
    const result = await runGlt(REVOKE, {
      env: ENV,
      tty: true,
      keychain: saved.keychain,
      configDir: saved.configDir,
      prompts: [{ kind: 'confirm', answer: new CancelledError('cancelled', { key: 'cancelled' }) }],
    })
    expect(result.exitCode).toBe(130)
    expect(api.requests).toEqual([GET])
    expect((await saved.credentials.findTriggerToken(HOST, PROJECT.path))?.token).toBe(MINE)
  })
})

describe('glt tokens revoke: the saved copy', () => {
  it('removes the token from the keychain when it is the one glt saved', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE, 'keychain')
    const api = triggersApi()
    useGitLab(api.get(TARGET), api.revoke(7))
    const result = await runGlt([...REVOKE, '--yes'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 0, stdout: '' })
    expect(result.stderr).toBe('✓ Revoked trigger token 7 ("deploy") in acme/app and removed it from the OS keychain\n')
    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBeUndefined()
    expect(await saved.credentials.list()).toEqual([])
  })

  it('keeps a saved token that is another one', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE_2, 'keychain')
    const api = triggersApi()
    useGitLab(api.get(TARGET), api.revoke(7))
    const result = await runGlt([...REVOKE, '--yes'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.stderr).toBe('✓ Revoked trigger token 7 ("deploy") in acme/app\n')
    expect(api.requests).toEqual([GET, DELETE])
    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBe(MINE_2)
  })

  it("revoking another member's token: no warning when the list shows the saved token in full elsewhere", async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE_2, 'keychain')
    const theirs = trigger(7, { theirs: true, description: 'deploy' })
    const api = triggersApi()
    useGitLab(api.get(theirs), api.revoke(7), api.list([trigger(3, { token: MINE_2 }), trigger(4, { theirs: true })]))
    const result = await runGlt([...REVOKE, '--yes'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 0, stderr: '✓ Revoked trigger token 7 ("deploy") in acme/app\n' })
    expect(api.requests).toEqual([GET, DELETE, LIST])
    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBe(MINE_2)
  })

  it("revoking another member's token that may be the saved one: warns, and keeps the saved token", async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { paths: [PROJECT.path] }, THEIRS, 'keychain')
    const theirs = trigger(7, { theirs: true, description: 'deploy' })
    const api = triggersApi()
    useGitLab(api.get(theirs), api.revoke(7), api.list([trigger(3)]))
    const result = await runGlt([...REVOKE, '--yes'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toBe(
      '! The trigger token glt saved for acme/app may be this one: GitLab shows only the first 4 characters of tokens you did not create. ' +
        'If glt saved it, remove it with glt tokens forget -p acme/app.\n' +
        '✓ Revoked trigger token 7 ("deploy") in acme/app\n',
    )
    expect((await saved.credentials.findTriggerToken(HOST, PROJECT.path))?.token).toBe(THEIRS)
  })

  it('still warns when the list cannot be read after the revoke', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { paths: [PROJECT.path] }, THEIRS, 'keychain')
    const api = triggersApi()
    useGitLab(api.get(trigger(7, { theirs: true })), api.revoke(7), api.fail('get', '/triggers', 403, FORBIDDEN))
    const result = await runGlt([...REVOKE, '--yes'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('! The trigger token glt saved for acme/app may be this one')
  })
})

describe('glt tokens revoke: failures', () => {
  it('says the token is revoked when its saved copy cannot be read afterwards (exit 1)', async () => {
    const saved = machine(createUnavailableKeychain())
    await recordSavedInKeychain(saved.configDir)
    const api = triggersApi()
    useGitLab(api.get(TARGET), api.revoke(7))
    const result = await runGlt([...REVOKE, '--yes'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toMatch(/^glt: revoked trigger token 7 \("deploy"\) in acme\/app, but could not remove glt's saved copy: .*keychain/i)
    expect(result.stderr.split('\n')[1]).toMatch(/^If glt saved it, remove it with glt tokens forget -p acme\/app\. /)
    expect(api.requests).toEqual([GET, DELETE])
  })

  it('an unknown ID exits 1 and points at glt tokens list, before any question', async () => {
    const api = triggersApi()
    useGitLab(api.fail('get', '/triggers/7', 404, { message: '404 Trigger Not Found' }))
    const result = await runGlt(REVOKE, { env: ENV, tty: true })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toBe(
      "glt: no trigger token 7 in acme/app\nIt may have been revoked already; see the project's trigger tokens with: glt tokens list -p acme/app\n",
    )
  })

  it('a 403 exits 3 and says the Maintainer role is needed', async () => {
    const api = triggersApi()
    useGitLab(api.get(TARGET), api.fail('delete', '/triggers/7', 403, FORBIDDEN))
    const result = await runGlt([...REVOKE, '--yes'], { env: ENV })
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toBe(
      'glt: GitLab refused revoking trigger token 7 in acme/app (403 Forbidden)\n' +
        'Managing trigger tokens needs the Maintainer or Owner role in acme/app; ask a Maintainer to do it, or to raise your role.\n',
    )
  })

  it.each([['0'], ['-1'], ['abc'], ['1.5']])('refuses the ID %s before anything is sent', async (id) => {
    const result = await runGlt(['tokens', 'revoke', id, '-p', PROJECT.path, '--yes'], { env: ENV })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('a trigger token ID is a positive number (see glt tokens list)')
  })

  it('is a usage error naming --project in a pipe', async () => {
    const result = await runGlt(['tokens', 'revoke', '7', '--yes'], { env: ENV })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('missing --project')
  })
})
