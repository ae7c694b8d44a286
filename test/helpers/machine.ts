import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createAccountIndex } from '../../src/auth/account-index.ts'
import { createCredentials, type Credentials } from '../../src/auth/credentials.ts'
import { createFileStore } from '../../src/auth/file-store.ts'
import { createMemoryKeychain, type Keychain } from '../../src/auth/keychain.ts'
import { KeychainUnavailableError } from '../../src/errors.ts'

export interface Machine {
  keychain: Keychain
  /** A new empty folder: glt's index and opted-in credentials file; pass it to runGlt with the keychain. */
  configDir: string
  /** The same stores glt will use, to save things before a run and to look at them after. */
  credentials: Credentials
}

/** A user's machine on which glt may already have saved things. */
export function machine(keychain: Keychain = createMemoryKeychain()): Machine {
  const configDir = mkdtempSync(path.join(tmpdir(), 'glt-config-'))
  const credentials = createCredentials({
    keychain,
    file: createFileStore({ configDir }),
    index: createAccountIndex({ configDir }),
    now: () => new Date('2026-01-01T00:00:00.000Z'),
  })
  return { keychain, configDir, credentials }
}

/** A keychain that reads `base` but refuses every write, as a keychain that fails half-way does. */
export function keychainRefusingWrites(base: Keychain = createMemoryKeychain()): Keychain {
  return {
    ...base,
    set: async () => {
      throw new KeychainUnavailableError('The OS keychain refused the call.', { key: 'keychain-unavailable' })
    },
  }
}
