import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAccountIndex } from '../../../src/auth/account-index.ts'
import { createMemoryKeychain, createUnavailableKeychain } from '../../../src/auth/keychain.ts'
import { CancelledError } from '../../../src/errors.ts'
import { setupMsw, useGitLab } from '../../helpers/msw.ts'
import { keychainRefusingWrites } from '../../helpers/machine.ts'
import { runGlt, stripAnsi } from '../../helpers/run-glt.ts'
import { ENV, FORBIDDEN, HOST, machine, MINE, NEW_TOKEN, PAT, PROJECT, trigger, triggersApi, UNAUTHORIZED } from './gitlab.ts'

setupMsw()

const CREATED = trigger(9, { token: NEW_TOKEN, description: 'deploy from Jenkins' })
const CREATE = ['tokens', 'create', '-p', PROJECT.path]
const POST = `POST /projects/${PROJECT.encoded}/triggers`

describe('glt tokens create: printing the token', () => {
  it('in a pipe prints the new token alone on stdout, once', async () => {
    const api = triggersApi()
    useGitLab(api.create(CREATED))
    const result = await runGlt([...CREATE, '-d', 'deploy from Jenkins'], { env: ENV })
    expect(result).toMatchObject({ exitCode: 0, stdout: `${NEW_TOKEN}\n` })
    expect(result.stderr).toBe('✓ Created trigger token 9 ("deploy from Jenkins") in acme/app\n')
    expect(api.requests).toEqual([`${POST} description=deploy+from+Jenkins`])
    expect(api.tokens).toEqual([PAT])
  })

  it('sends --expires-at, and --json prints GitLab\'s object with the token in full', async () => {
    const api = triggersApi()
    useGitLab(api.create({ ...CREATED, expires_at: '2026-12-31' }))
    const result = await runGlt([...CREATE, '-d', 'deploy from Jenkins', '--expires-at', '2026-12-31', '--json'], { env: ENV })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ ...CREATED, expires_at: '2026-12-31' })
    expect(api.requests).toEqual([`${POST} description=deploy+from+Jenkins&expires_at=2026-12-31`])
  })

  it('in a terminal asks for the description and says glt did not keep the token', async () => {
    const api = triggersApi()
    useGitLab(api.create(CREATED))
    const result = await runGlt(CREATE, {
      env: ENV,
      tty: true,
      prompts: [{ kind: 'text', message: 'Description of the trigger token:', answer: 'deploy from Jenkins' }],
    })
    expect(result).toMatchObject({ exitCode: 0, stdout: `${NEW_TOKEN}\n` })
    expect(stripAnsi(result.stderr)).toBe(
      '✓ Created trigger token 9 ("deploy from Jenkins") in acme/app\n' +
        'glt did not keep it: save it with glt tokens save -p acme/app, or create it with --save next time.\n',
    )
    expect(api.requests).toEqual([`${POST} description=deploy+from+Jenkins`])
  })
})

describe('glt tokens create --save', () => {
  it('stores the token under the project\'s ID and path, and prints it only masked', async () => {
    const saved = machine()
    const api = triggersApi()
    useGitLab(api.project(), api.create(CREATED))
    const result = await runGlt([...CREATE, '-d', 'deploy from Jenkins', '--save'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 0, stdout: '' })
    expect(result.stderr).toBe('✓ Created trigger token 9 ("deploy from Jenkins") in acme/app and saved it in the OS keychain: glptt-…3333\n')
    expect(api.requests).toEqual([`GET /projects/${PROJECT.encoded}`, `${POST} description=deploy+from+Jenkins`])

    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBe(NEW_TOKEN)
    expect(await createAccountIndex({ configDir: saved.configDir }).list()).toMatchObject([
      { kind: 'trigger', host: 'gitlab.test', store: 'keychain', projectId: 42, projectPaths: ['acme/app'] },
    ])
    expect((await saved.credentials.findTriggerToken(HOST, '42'))?.token).toBe(NEW_TOKEN)
    expect((await saved.credentials.findTriggerToken(HOST, 'ACME/app'))?.token).toBe(NEW_TOKEN)
  })

  it('says which saved token the new one replaces', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE, 'keychain')
    const api = triggersApi()
    useGitLab(api.project(), api.create(CREATED))
    const result = await runGlt([...CREATE, '-d', 'x', '--save'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toBe(
      '✓ Created trigger token 9 ("deploy from Jenkins") in acme/app and saved it in the OS keychain: glptt-…3333 (replacing glptt-…1111)\n',
    )
    expect((await saved.credentials.findTriggerToken(HOST, PROJECT.path))?.token).toBe(NEW_TOKEN)
  })

  it('given the project by ID, saves it under the path GitLab reports too', async () => {
    const saved = machine()
    const api = triggersApi('42')
    useGitLab(api.project(), api.create(CREATED))
    const result = await runGlt(['tokens', 'create', '-p', '42', '-d', 'x', '--save'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.exitCode).toBe(0)
    expect((await saved.credentials.findTriggerToken(HOST, 'acme/app'))?.token).toBe(NEW_TOKEN)
  })

  it('--json prints the object with the token masked', async () => {
    const api = triggersApi()
    useGitLab(api.project(), api.create(CREATED))
    const result = await runGlt([...CREATE, '-d', 'x', '--save', '--json'], { env: ENV })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ ...CREATED, token: 'glptt-…3333' })
  })

  it('--insecure-storage warns, then saves in the plain-text file', async () => {
    const saved = machine()
    const api = triggersApi()
    useGitLab(api.project(), api.create(CREATED))
    const result = await runGlt([...CREATE, '-d', 'x', '--save', '--insecure-storage'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain(`! --insecure-storage: saving the token in plain text in ${saved.configDir}/credentials.json`)
    expect(result.stderr).toContain(`saved it in ${saved.configDir}/credentials.json: glptt-…3333`)
    expect(await saved.keychain.get('trigger@gitlab.test/42')).toBeUndefined()
    expect(await saved.credentials.findTriggerToken(HOST, PROJECT.path)).toMatchObject({ token: NEW_TOKEN, store: 'file' })
  })

  it('when the keychain cannot be reached, stops before creating anything (exit 1)', async () => {
    const saved = machine(createUnavailableKeychain())
    // No handlers: msw fails any request, so nothing was sent.
    const result = await runGlt([...CREATE, '-d', 'x', '--save'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr.split('\n')[0]).toBe('glt: The OS keychain is unavailable: no Secret Service (such as gnome-keyring) is running on the D-Bus session bus.')
    expect(result.stderr).toContain('--insecure-storage')
    expect(await saved.credentials.list()).toEqual([])
  })

  it('with --insecure-storage, stops before creating anything when the config folder cannot be written', async () => {
    const blocked = path.join(mkdtempSync(path.join(tmpdir(), 'glt-config-')), 'a-file')
    writeFileSync(blocked, '')
    // No handlers: msw fails any request, so nothing was sent.
    const result = await runGlt([...CREATE, '-d', 'x', '--save', '--insecure-storage'], { env: ENV, configDir: path.join(blocked, 'glt') })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toContain(`glt: Could not write in ${path.join(blocked, 'glt')} (${blocked} is not a folder).`)
  })

  it('when the keychain refuses the write after all, says the token exists and how to get it back (exit 1)', async () => {
    const memory = createMemoryKeychain()
    const refusesWrites = keychainRefusingWrites(memory)
    const saved = machine(refusesWrites)
    const api = triggersApi()
    useGitLab(api.project(), api.create(CREATED))
    const result = await runGlt([...CREATE, '-d', 'x', '--save'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    const [message, hint] = result.stderr.split('\n')
    expect(message).toBe('glt: created trigger token 9 ("deploy from Jenkins") in acme/app, but could not save it: The OS keychain refused the call.')
    expect(hint).toBe(
      'The token is not lost: glt tokens list -p acme/app --show-token shows it, and glt tokens save -p acme/app saves it.',
    )
    expect(result.stderr).not.toContain(NEW_TOKEN)
    expect(await saved.credentials.list()).toEqual([])
  })
})

describe('glt tokens create: refusals', () => {
  it('a 403 exits 3, says the Maintainer role is needed, and saves nothing', async () => {
    const saved = machine()
    const api = triggersApi()
    useGitLab(api.project(), api.fail('post', '/triggers', 403, FORBIDDEN))
    const result = await runGlt([...CREATE, '-d', 'x', '--save'], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: GitLab refused creating a trigger token in acme/app (403 Forbidden)\n' +
        'Managing trigger tokens needs the Maintainer or Owner role in acme/app; ask a Maintainer to do it, or to raise your role.\n',
    )
    expect(await saved.credentials.list()).toEqual([])
  })

  it('a 401 exits 3', async () => {
    useGitLab(triggersApi().fail('post', '/triggers', 401, UNAUTHORIZED))
    const result = await runGlt([...CREATE, '-d', 'x'], { env: ENV })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toContain('(401 Unauthorized)')
  })

  it('is a usage error naming --description in a pipe, with nothing sent', async () => {
    const result = await runGlt(CREATE, { env: ENV })
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe('glt: missing --description: what the token is for\nPass --description.\n')
  })

  it.each([
    ['GLT_NO_PROMPT', { GLT_NO_PROMPT: '1' }],
    ['CI', { CI: 'true' }],
  ])('never asks for the description with %s set', async (_name, extra) => {
    const result = await runGlt(CREATE, { env: { ...ENV, ...extra }, tty: true })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('missing --description')
  })

  it('is a usage error naming --project in a pipe', async () => {
    const result = await runGlt(['tokens', 'create', '-d', 'x'], { env: ENV })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('missing --project')
  })

  it.each([
    ['2026-02-30', 'there is no such day'],
    ['31/12/2026', 'expected a date written YYYY-MM-DD'],
    ['tomorrow', 'expected a date written YYYY-MM-DD'],
  ])('refuses --expires-at %s before sending anything', async (date, why) => {
    const result = await runGlt([...CREATE, '-d', 'x', '--expires-at', date], { env: ENV })
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe(`glt: invalid --expires-at "${date}": ${why}\nFor example: --expires-at 2026-12-31.\n`)
  })

  it('refuses --insecure-storage without --save, and an empty --description', async () => {
    expect((await runGlt([...CREATE, '-d', 'x', '--insecure-storage'], { env: ENV })).stderr).toBe(
      'glt: --insecure-storage only goes with --save\nAdd --save to keep the token, or drop --insecure-storage.\n',
    )
    const empty = await runGlt([...CREATE, '-d', ' '], { env: ENV })
    expect(empty.exitCode).toBe(2)
    expect(empty.stderr).toContain('glt: --description is empty')
  })

  it('exits 130 on Ctrl-C at the description prompt, with nothing created or saved', async () => {
    const saved = machine()
    const result = await runGlt([...CREATE, '--save'], {
      env: ENV,
      tty: true,
      keychain: saved.keychain,
      configDir: saved.configDir,
      prompts: [{ kind: 'text', message: 'Description', answer: new CancelledError('cancelled', { key: 'cancelled' }) }],
    })
    expect(result).toMatchObject({ exitCode: 130, stdout: '' })
    expect(await saved.credentials.list()).toEqual([])
  })
})
