import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAccountIndex } from '../../src/auth/account-index.ts'
import { createUnavailableKeychain } from '../../src/auth/keychain.ts'
import { resolveHost } from '../../src/config/host.ts'
import { machine } from '../helpers/machine.ts'
import { TEST_HOST, setupMsw } from '../helpers/msw.ts'
import { runGlt } from '../helpers/run-glt.ts'

// No handlers: logout never talks to GitLab, and msw fails any request.
setupMsw()

const PAT = 'glpat-0123456789abcdefghij'
const TRIGGER = 'glptt-0123456789abcdef0123'
const ENV = { GITLAB_HOST: TEST_HOST }
const host = resolveHost(TEST_HOST, {})

describe('glt logout', () => {
  it('removes the token saved in the keychain for the host, and keeps its trigger tokens', async () => {
    const { configDir, keychain, credentials } = machine()
    await credentials.savePat(host, PAT, 'keychain')
    await credentials.saveTriggerToken(host, { id: 42, paths: ['acme/app'] }, TRIGGER, 'keychain')
    const result = await runGlt(['logout'], { env: ENV, keychain, configDir })
    expect(result).toMatchObject({ exitCode: 0, stdout: '', stderr: '✓ Logged out of gitlab.test: removed its personal access token from the OS keychain.\n' })
    expect(await keychain.get('pat@gitlab.test')).toBeUndefined()
    expect(await credentials.findPat(host)).toBeUndefined()
    expect((await credentials.findTriggerToken(host, 'acme/app'))?.token).toBe(TRIGGER)
  })

  it('removes a token saved with --insecure-storage from the file', async () => {
    const { configDir, keychain, credentials } = machine()
    await credentials.savePat(host, PAT, 'file')
    const result = await runGlt(['logout'], { env: ENV, keychain, configDir })
    const file = path.join(configDir, 'credentials.json')
    expect(result).toMatchObject({ exitCode: 0, stderr: `✓ Logged out of gitlab.test: removed its personal access token from ${file}.\n` })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, credentials: {} })
  })

  it('only touches the host given with --host', async () => {
    const { configDir, keychain, credentials } = machine()
    const other = resolveHost('gitlab.example.com', {})
    await credentials.savePat(host, PAT, 'keychain')
    await credentials.savePat(other, 'glpat-other-token-000000', 'keychain')
    const result = await runGlt(['logout', '--host', 'gitlab.example.com'], { env: ENV, keychain, configDir })
    expect(result.exitCode).toBe(0)
    expect(await credentials.findPat(other)).toBeUndefined()
    expect((await credentials.findPat(host))?.token).toBe(PAT)
  })

  it('exits 0 saying so when nothing is saved for the host, naming hosts that have a token', async () => {
    const { configDir, keychain, credentials } = machine()
    expect(await runGlt(['logout'], { env: ENV, keychain, configDir })).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: 'Not logged in to gitlab.test: no personal access token is saved for it.\n',
    })
    await credentials.savePat(resolveHost('gitlab.example.com', {}), PAT, 'keychain')
    expect(await runGlt(['logout'], { env: ENV, keychain, configDir })).toMatchObject({
      exitCode: 0,
      stderr: 'Not logged in to gitlab.test: no personal access token is saved for it (glt has one for gitlab.example.com; use --host).\n',
    })
  })

  it('says that GITLAB_TOKEN still applies when it is set', async () => {
    const { configDir, keychain, credentials } = machine()
    await credentials.savePat(host, PAT, 'keychain')
    const result = await runGlt(['logout'], { env: { ...ENV, GITLAB_TOKEN: 'glpat-other-token-000000' }, keychain, configDir })
    expect(result).toMatchObject({
      exitCode: 0,
      stderr:
        '✓ Logged out of gitlab.test: removed its personal access token from the OS keychain.\n' +
        '! GITLAB_TOKEN is set: glt still uses it for gitlab.test until you unset it.\n',
    })
  })

  it('exits 1 with the keychain error when the keychain is unavailable, keeping the index entry', async () => {
    const { configDir, credentials } = machine()
    await credentials.savePat(host, PAT, 'keychain')
    const result = await runGlt(['logout'], { env: ENV, keychain: createUnavailableKeychain(), configDir })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toContain('glt: The OS keychain is unavailable')
    expect(await createAccountIndex({ configDir }).list()).toHaveLength(1)
  })
})
