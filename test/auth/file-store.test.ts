import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configDirFrom, createFileStore } from '../../src/auth/file-store.ts'
import { KeychainUnavailableError } from '../../src/errors.ts'

// The Keychain contract itself runs in test/keychain/keychain-contract.test.ts.

describe('configDirFrom', () => {
  it.each([
    [{ XDG_CONFIG_HOME: '/xdg' }, '/xdg/glt'],
    [{}, '/home/me/.config/glt'],
    [{ XDG_CONFIG_HOME: '' }, '/home/me/.config/glt'],
    // The XDG specification says to ignore a relative path.
    [{ XDG_CONFIG_HOME: 'relative/config' }, '/home/me/.config/glt'],
  ])('%j → %s', (env, expected) => {
    expect(configDirFrom(env, '/home/me')).toBe(expected)
  })
})

describe('createFileStore', () => {
  let root: string
  let configDir: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'glt-file-store-'))
    configDir = join(root, 'config', 'glt')
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777

  it('writes credentials.json with mode 0600 in a directory with mode 0700', async () => {
    const store = createFileStore({ configDir })
    await store.set('me@gitlab.com', 'glpat-secret')
    expect(store.path).toBe(join(configDir, 'credentials.json'))
    expect(await modeOf(store.path)).toBe(0o600)
    expect(await modeOf(configDir)).toBe(0o700)
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toEqual({ version: 1, credentials: { 'me@gitlab.com': 'glpat-secret' } })
  })

  it('leaves no temporary file behind', async () => {
    const store = createFileStore({ configDir })
    await store.set('a', '1')
    await store.set('b', '2')
    await store.delete('a')
    expect(await readdir(configDir)).toEqual(['credentials.json'])
  })

  it('tightens a file that was made readable by others', async () => {
    await mkdir(configDir, { recursive: true })
    const path = join(configDir, 'credentials.json')
    await writeFile(path, JSON.stringify({ version: 1, credentials: { old: 'x' } }), { mode: 0o644 })
    await createFileStore({ configDir }).set('me@gitlab.com', 'glpat-secret')
    expect(await modeOf(path)).toBe(0o600)
  })

  it('reads what another instance wrote', async () => {
    await createFileStore({ configDir }).set('me@gitlab.com', 'glpat-secret')
    await expect(createFileStore({ configDir }).get('me@gitlab.com')).resolves.toBe('glpat-secret')
  })

  it('creates nothing when there is nothing to delete', async () => {
    await expect(createFileStore({ configDir }).delete('me@gitlab.com')).resolves.toBe(false)
    await expect(stat(configDir)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it.each([
    ['invalid JSON', '{"version": 1, "credentials": {"me@gitlab.com": "glpat-secret"'],
    ['another shape', '{"version": 2, "credentials": {"me@gitlab.com": "glpat-secret"}}'],
  ])('names the file, and not the secrets, when it holds %s', async (_, content) => {
    await mkdir(configDir, { recursive: true })
    await writeFile(join(configDir, 'credentials.json'), content, { mode: 0o600 })
    const error = await createFileStore({ configDir }).get('me@gitlab.com').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeychainUnavailableError)
    const { message, hint } = error as KeychainUnavailableError
    expect(message).toContain(join(configDir, 'credentials.json'))
    expect(`${message} ${hint}`).not.toContain('glpat-secret')
  })
})
