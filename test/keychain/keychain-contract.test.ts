import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createFileStore } from '../../src/auth/file-store.ts'
import { createMemoryKeychain, createOsKeychain } from '../../src/auth/keychain.ts'
import { describeKeychainContract } from './keychain-contract.ts'
import { usePrivateKeyring } from './private-keyring.ts'

usePrivateKeyring()

const temporaryDirs: string[] = []
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

describeKeychainContract('memory keychain', () => createMemoryKeychain())

describeKeychainContract('file store', async () => {
  const temporaryDir = await mkdtemp(join(tmpdir(), 'glt-file-store-'))
  temporaryDirs.push(temporaryDir)
  return createFileStore({ configDir: join(temporaryDir, 'glt') })
})

describeKeychainContract('OS keychain (private gnome-keyring)', () => createOsKeychain())
