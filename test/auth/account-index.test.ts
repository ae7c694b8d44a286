import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccountEntry } from '../../src/auth/account-index.ts'
import { createAccountIndex } from '../../src/auth/account-index.ts'
import { KeychainUnavailableError } from '../../src/errors.ts'

const pat: AccountEntry = { account: 'pat:gitlab.com', store: 'keychain', host: 'gitlab.com', kind: 'pat', savedAt: '2026-11-25T10:00:00.000Z' }
const trigger: AccountEntry = {
  account: 'trigger:gitlab.com:42',
  store: 'file',
  host: 'gitlab.com',
  kind: 'trigger',
  projectId: 42,
  projectPaths: ['group/sub/project', 'group/old-name'],
  savedAt: '2026-11-25T11:00:00.000Z',
}

describe('createAccountIndex', () => {
  let root: string
  let configDir: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'glt-account-index-'))
    configDir = join(root, 'glt')
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('checkWritable passes for a folder yet to be made, and fails as a write would under a file', async () => {
    await expect(createAccountIndex({ configDir: join(configDir, 'not', 'yet') }).checkWritable()).resolves.toBeUndefined()
    await expect(stat(configDir)).rejects.toThrow()
    await writeFile(join(root, 'a-file'), '')
    const blocked = createAccountIndex({ configDir: join(root, 'a-file', 'glt') })
    await expect(blocked.checkWritable()).rejects.toThrow(KeychainUnavailableError)
    await expect(blocked.checkWritable()).rejects.toThrow(`Could not write in ${join(root, 'a-file', 'glt')} (${join(root, 'a-file')} is not a folder).`)
    await expect(blocked.record(pat)).rejects.toThrow(KeychainUnavailableError)
  })

  it('lists nothing before anything is recorded', async () => {
    await expect(createAccountIndex({ configDir }).list()).resolves.toEqual([])
  })

  it('records, finds and lists entries in the order first saved', async () => {
    const index = createAccountIndex({ configDir })
    await index.record(pat)
    await index.record(trigger)
    await expect(index.list()).resolves.toEqual([pat, trigger])
    await expect(index.find('trigger:gitlab.com:42')).resolves.toEqual(trigger)
    await expect(index.find('nobody')).resolves.toBeUndefined()
  })

  it('replaces the entry of an account saved again, in place', async () => {
    const index = createAccountIndex({ configDir })
    await index.record(pat)
    await index.record(trigger)
    const moved: AccountEntry = { ...pat, store: 'file', savedAt: '2026-11-26T09:00:00.000Z' }
    await index.record(moved)
    await expect(index.list()).resolves.toEqual([moved, trigger])
  })

  it('removes an entry and reports whether there was one', async () => {
    const index = createAccountIndex({ configDir })
    await index.record(pat)
    await expect(index.remove(pat.account)).resolves.toBe(true)
    await expect(index.remove(pat.account)).resolves.toBe(false)
    await expect(index.list()).resolves.toEqual([])
  })

  it('keeps the index in accounts.json, readable only by the user', async () => {
    const index = createAccountIndex({ configDir })
    await index.record(trigger)
    expect(index.path).toBe(join(configDir, 'accounts.json'))
    expect((await stat(index.path)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(index.path, 'utf8'))).toEqual({ version: 1, accounts: [trigger] })
  })

  it.each([
    ['invalid JSON', '{"version": 1, "accounts": ['],
    ['an entry of unknown kind', JSON.stringify({ version: 1, accounts: [{ ...pat, kind: 'deploy' }] })],
    ['a trigger entry without project paths', JSON.stringify({ version: 1, accounts: [{ ...trigger, projectPaths: undefined }] })],
  ])('names the file when it holds %s', async (_, content) => {
    await mkdir(configDir, { recursive: true })
    await writeFile(join(configDir, 'accounts.json'), content)
    const error = await createAccountIndex({ configDir }).list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeychainUnavailableError)
    expect((error as Error).message).toContain(join(configDir, 'accounts.json'))
  })
})
