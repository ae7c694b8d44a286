import { describe, expect, it, vi } from 'vitest'
import type { KeyringBinding, KeyringEntry } from '../../src/auth/keychain.ts'
import { createMemoryKeychain, createOsKeychain, createUnavailableKeychain } from '../../src/auth/keychain.ts'
import { KeychainUnavailableError } from '../../src/errors.ts'

// The OS adapter's own logic, on a stand-in binding: time-out, lazy loading, error sorting.
// The real keyring is tested in test/keychain/ (Linux, private gnome-keyring).

function fakeBinding(entry: Partial<KeyringEntry>, onConstruct: (service: string, account: string, options: unknown) => void = () => {}): KeyringBinding {
  class FakeEntry implements KeyringEntry {
    getPassword = entry.getPassword ?? (async () => null)
    setPassword = entry.setPassword ?? (async () => {})
    deletePassword = entry.deletePassword ?? (async () => false)
    constructor(service: string, account: string, options: unknown) {
      onConstruct(service, account, options)
    }
  }
  return { AsyncEntry: FakeEntry }
}

const failingWith = (message: string): KeyringBinding => fakeBinding({ getPassword: () => Promise.reject(new Error(message)) })

describe('createOsKeychain', () => {
  it('loads the native module on the first call only, and pins the Linux store to the Secret Service', async () => {
    const constructed: unknown[][] = []
    const loadKeyring = vi.fn(async () => fakeBinding({ getPassword: async () => 'secret' }, (...args) => constructed.push(args)))
    const keychain = createOsKeychain({ loadKeyring })
    expect(loadKeyring).not.toHaveBeenCalled()
    await expect(keychain.get('me@gitlab.com')).resolves.toBe('secret')
    await keychain.get('me@gitlab.com')
    expect(loadKeyring).toHaveBeenCalledTimes(1)
    expect(constructed[0]).toEqual(['glt', 'me@gitlab.com', { linux: { store: 'secret-service' } }])
  })

  it('maps null to undefined', async () => {
    const keychain = createOsKeychain({ loadKeyring: async () => fakeBinding({ getPassword: async () => null }) })
    await expect(keychain.get('absent')).resolves.toBeUndefined()
  })

  it('gives up after timeoutMs on a call that never settles', async () => {
    const keychain = createOsKeychain({ timeoutMs: 50, loadKeyring: async () => fakeBinding({ getPassword: () => new Promise(() => {}) }) })
    const error = await keychain.get('me@gitlab.com').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeychainUnavailableError)
    expect(error).toMatchObject({ key: 'keychain-timeout', message: 'The OS keychain did not answer within 50 ms.' })
  })

  it('says so when the native module cannot load on this platform', async () => {
    const keychain = createOsKeychain({ loadKeyring: () => Promise.reject(new Error('Cannot find native binding')) })
    await expect(keychain.get('me@gitlab.com')).rejects.toMatchObject({ name: 'KeychainUnavailableError', message: 'The OS keychain is not supported on this platform.' })
  })

  it('turns a throwing constructor (how a missing Secret Service shows) into KeychainUnavailableError', async () => {
    const binding = fakeBinding({}, () => {
      throw new Error('Platform failure: DBus error: Failed to connect to socket /run/user/1000/bus: No such file or directory')
    })
    await expect(createOsKeychain({ loadKeyring: async () => binding }).set('me@gitlab.com', 's')).rejects.toMatchObject({
      name: 'KeychainUnavailableError',
      key: 'keychain-unavailable',
    })
  })

  // Error texts as @napi-rs/keyring 2.1 reports them against gnome-keyring (measured).
  it.each([
    ['Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory', 'keychain-unavailable', /no Secret Service/],
    ['Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead', 'keychain-unavailable', /no Secret Service/],
    ['Platform failure: DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply, the message bus security policy blocked the reply, the reply timeout expired, or the network connection was broken.', 'keychain-timeout', /did not answer/],
    ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", 'keychain-locked', /locked/],
    ["Couldn't access platform storage: Secret Service: no result found", 'keychain-unavailable', /no default keyring/],
    ['Entry is matched by 2 credentials', 'keychain-unavailable', /refused the call/],
  ])('sorts %j', async (text, key, message) => {
    const error = await createOsKeychain({ loadKeyring: async () => failingWith(text) }).get('me@gitlab.com').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeychainUnavailableError)
    expect(error).toMatchObject({ key, message: expect.stringMatching(message) as unknown })
    expect((error as KeychainUnavailableError).cause).toMatchObject({ message: text })
  })

  it('never puts the secret in the message or hint', async () => {
    const secret = 'glpat-do-not-print-me'
    const binding = fakeBinding({ setPassword: () => Promise.reject(new Error(`weird failure storing ${secret}`)) })
    const error = (await createOsKeychain({ loadKeyring: async () => binding }).set('me@gitlab.com', secret).catch((e: unknown) => e)) as KeychainUnavailableError
    expect(error.message).not.toContain(secret)
    expect(error.hint).not.toContain(secret)
  })
})

describe('createMemoryKeychain', () => {
  it('starts with the given secrets and keeps instances apart', async () => {
    const first = createMemoryKeychain({ 'me@gitlab.com': 'glpat-1' })
    const second = createMemoryKeychain()
    await expect(first.get('me@gitlab.com')).resolves.toBe('glpat-1')
    await expect(second.get('me@gitlab.com')).resolves.toBeUndefined()
  })
})

describe('createUnavailableKeychain', () => {
  it('fails every call as a machine without a Secret Service does', async () => {
    const keychain = createUnavailableKeychain()
    await expect(keychain.get('a')).rejects.toBeInstanceOf(KeychainUnavailableError)
    await expect(keychain.set('a', 's')).rejects.toBeInstanceOf(KeychainUnavailableError)
    await expect(keychain.delete('a')).rejects.toBeInstanceOf(KeychainUnavailableError)
  })
})
