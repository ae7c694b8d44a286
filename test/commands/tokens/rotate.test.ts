import { describe, expect, it } from 'vitest'
import { createMemoryKeychain, type Keychain } from '../../../src/auth/keychain.ts'
import { setupMsw, useGitLab } from '../../helpers/msw.ts'
import { keychainRefusingWrites } from '../../helpers/machine.ts'
import { runGlt } from '../../helpers/run-glt.ts'
import { ENV, FORBIDDEN, HOST, machine, MINE, MINE_2, NEW_TOKEN, PROJECT, THEIRS, trigger, triggersApi } from './gitlab.ts'

setupMsw()

const OLD = trigger(7, { description: 'deploy' })
const NEW = trigger(9, { token: NEW_TOKEN, description: 'deploy' })
const ROTATE = ['tokens', 'rotate', '7', '-p', PROJECT.path]
const GET = `GET /projects/${PROJECT.encoded}/triggers/7`
const POST = `POST /projects/${PROJECT.encoded}/triggers description=deploy`
const DELETE = `DELETE /projects/${PROJECT.encoded}/triggers/7`
const LIST = `GET /projects/${PROJECT.encoded}/triggers?per_page=100&page=1`

async function savedMine(keychain?: Keychain) {
  const saved = machine(keychain)
  await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE, 'keychain')
  return saved
}

describe('glt tokens rotate', () => {
  it('creates a token with the same description, prints it, then revokes the old one', async () => {
    const api = triggersApi()
    useGitLab(api.get(OLD), api.create(NEW), api.revoke(7))
    const result = await runGlt(ROTATE, { env: ENV })
    expect(result).toMatchObject({ exitCode: 0, stdout: `${NEW_TOKEN}\n` })
    expect(result.stderr).toBe('✓ Rotated trigger token 7 ("deploy") in acme/app: created trigger token 9 ("deploy"), revoked 7.\n')
    expect(api.requests).toEqual([GET, POST, DELETE])
  })

  it('saves the new token where the old one was saved, under the same names, and prints nothing', async () => {
    const saved = await savedMine()
    const api = triggersApi()
    useGitLab(api.get(OLD), api.create(NEW), api.revoke(7))
    const result = await runGlt(ROTATE, { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 0, stdout: '' })
    expect(result.stderr).toBe(
      '✓ Rotated trigger token 7 ("deploy") in acme/app: created trigger token 9 ("deploy") and saved it in the OS keychain (glptt-…3333), revoked 7.\n',
    )
    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBe(NEW_TOKEN)
    expect((await saved.credentials.findTriggerToken(HOST, '42'))?.token).toBe(NEW_TOKEN)
    expect(await saved.credentials.list()).toHaveLength(1)
  })

  it('--insecure-storage for a token glt had not saved: says it is unused, and prints the new token', async () => {
    const api = triggersApi()
    useGitLab(api.get(OLD), api.create(NEW), api.revoke(7))
    const result = await runGlt([...ROTATE, '--insecure-storage'], { env: ENV })
    expect(result).toMatchObject({ exitCode: 0, stdout: `${NEW_TOKEN}\n` })
    expect(result.stderr.split('\n')[0]).toBe('! glt had not saved trigger token 7, so the new token is printed, not saved (--insecure-storage is unused).')
  })

  it('gives a token without description one that says where it came from', async () => {
    const api = triggersApi()
    useGitLab(api.get(trigger(7, { description: '' })), api.create(NEW), api.revoke(7))
    const result = await runGlt(ROTATE, { env: ENV })
    expect(result.exitCode).toBe(0)
    expect(api.requests[1]).toBe(`POST /projects/${PROJECT.encoded}/triggers description=rotated+from+trigger+token+7`)
  })

  it("rotating another member's token that may be the saved one: says so, prints the new token, keeps the saved one", async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { paths: [PROJECT.path] }, THEIRS, 'keychain')
    const api = triggersApi()
    useGitLab(api.get(trigger(7, { theirs: true, description: 'deploy' })), api.list([trigger(3)]), api.create(NEW), api.revoke(7))
    const result = await runGlt(ROTATE, { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 0, stdout: `${NEW_TOKEN}\n` })
    expect(result.stderr.split('\n')[0]).toBe(
      '! glt cannot tell whether the token it saved for acme/app is this one (GitLab shows only 4 characters of tokens you did not create): the new token is printed, not saved.',
    )
    expect(api.requests).toEqual([GET, LIST, POST, DELETE])
    expect((await saved.credentials.findTriggerToken(HOST, PROJECT.path))?.token).toBe(THEIRS)
  })

  it("rotating another member's token when the saved one is listed in full: no warning", async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { paths: [PROJECT.path] }, MINE_2, 'keychain')
    const api = triggersApi()
    useGitLab(api.get(trigger(7, { theirs: true, description: 'deploy' })), api.list([trigger(3, { token: MINE_2 })]), api.create(NEW), api.revoke(7))
    const result = await runGlt(ROTATE, { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 0, stdout: `${NEW_TOKEN}\n` })
    expect(result.stderr).toBe('✓ Rotated trigger token 7 ("deploy") in acme/app: created trigger token 9 ("deploy"), revoked 7.\n')
    expect((await saved.credentials.findTriggerToken(HOST, PROJECT.path))?.token).toBe(MINE_2)
  })
})

describe('glt tokens rotate: when a step fails, it says what state things are in', () => {
  it('the create fails: the old token is unchanged, nothing revoked', async () => {
    const saved = await savedMine()
    const api = triggersApi()
    useGitLab(api.get(OLD), api.fail('post', '/triggers', 403, FORBIDDEN))
    const result = await runGlt(ROTATE, { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: could not create a new trigger token (trigger token 7 ("deploy") is unchanged): GitLab refused creating a trigger token in acme/app (403 Forbidden)\n' +
        'Managing trigger tokens needs the Maintainer or Owner role in acme/app; ask a Maintainer to do it, or to raise your role.\n',
    )
    expect(api.requests).toEqual([GET, `POST /projects/${PROJECT.encoded}/triggers description=deploy`])
    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBe(MINE)
  })

  it('the save fails: the new token exists, the old one is not revoked and is still the saved one', async () => {
    const memory = createMemoryKeychain()
    const refusesWrites = keychainRefusingWrites(memory)
    const saved = machine(memory)
    await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE, 'keychain')
    const api = triggersApi()
    useGitLab(api.get(OLD), api.create(NEW))
    const result = await runGlt(ROTATE, { env: ENV, keychain: refusesWrites, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toBe(
      'glt: created trigger token 9 ("deploy") in acme/app, but could not save it; trigger token 7 ("deploy") was not revoked and is still the saved one: ' +
        'The OS keychain refused the call.\n' +
        'Save the new token with glt tokens save -p acme/app (glt tokens list -p acme/app --show-token shows it), then run glt tokens revoke 7 -p acme/app.\n',
    )
    expect(api.requests).toEqual([GET, POST])
    expect(await memory.get('trigger@gitlab.test/42')).toBe(MINE)
  })

  it('the revoke fails: the new token is saved, the old one still works', async () => {
    const saved = await savedMine()
    const api = triggersApi()
    useGitLab(api.get(OLD), api.create(NEW), api.fail('delete', '/triggers/7', 403, FORBIDDEN))
    const result = await runGlt(ROTATE, { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: created trigger token 9 ("deploy") (saved in the OS keychain), but could not revoke trigger token 7 ("deploy") in acme/app: ' +
        'GitLab refused revoking trigger token 7 in acme/app (403 Forbidden)\n' +
        'Trigger token 7 still works: revoke it with glt tokens revoke 7 -p acme/app. Managing trigger tokens needs the Maintainer or Owner role in acme/app; ask a Maintainer to do it, or to raise your role.\n',
    )
    expect(api.requests).toEqual([GET, POST, DELETE])
    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBe(NEW_TOKEN)
  })

  it('the revoke fails with the token not saved: the new token is already on stdout', async () => {
    const api = triggersApi()
    useGitLab(api.get(OLD), api.create(NEW), api.fail('delete', '/triggers/7', 403, FORBIDDEN))
    const result = await runGlt(ROTATE, { env: ENV })
    expect(result).toMatchObject({ exitCode: 3, stdout: `${NEW_TOKEN}\n` })
    expect(result.stderr).toMatch(/^glt: created trigger token 9 \("deploy"\), but could not revoke trigger token 7 \("deploy"\) in acme\/app: /)
  })

  it('an unknown ID fails before anything is created', async () => {
    const api = triggersApi()
    useGitLab(api.fail('get', '/triggers/7', 404, { message: '404 Trigger Not Found' }))
    const result = await runGlt(ROTATE, { env: ENV })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('glt: no trigger token 7 in acme/app')
    expect(api.requests).toEqual([GET])
  })
})
