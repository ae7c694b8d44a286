import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Keychain } from '../../src/auth/keychain.ts'

/**
 * What every Keychain must do, run against each implementation so the memory keychain that other
 * tests use cannot drift from the real stores. `create` is called once per test.
 */
export function describeKeychainContract(name: string, create: () => Keychain | Promise<Keychain>): void {
  describe(`${name}: Keychain contract`, () => {
    // Unique per run: the real keyring is shared by the test files of a run.
    const prefix = `contract-${randomUUID().slice(0, 8)}`
    const account = (label: string): string => `${prefix}-${label}@gitlab.example.com`

    it('returns undefined for an account never stored', async () => {
      const keychain = await create()
      await expect(keychain.get(account('absent'))).resolves.toBeUndefined()
    })

    it('returns what was stored', async () => {
      const keychain = await create()
      await keychain.set(account('stored'), 'glpat-abcdefghijklmnopqrst')
      await expect(keychain.get(account('stored'))).resolves.toBe('glpat-abcdefghijklmnopqrst')
    })

    it('overwrites a stored secret', async () => {
      const keychain = await create()
      await keychain.set(account('overwritten'), 'first')
      await keychain.set(account('overwritten'), 'second')
      await expect(keychain.get(account('overwritten'))).resolves.toBe('second')
    })

    it('deletes a stored secret and reports it', async () => {
      const keychain = await create()
      await keychain.set(account('deleted'), 'glptt-0123456789abcdef')
      await expect(keychain.delete(account('deleted'))).resolves.toBe(true)
      await expect(keychain.get(account('deleted'))).resolves.toBeUndefined()
      await expect(keychain.delete(account('deleted'))).resolves.toBe(false)
    })

    it('reports false when deleting an account never stored', async () => {
      const keychain = await create()
      await expect(keychain.delete(account('never'))).resolves.toBe(false)
    })

    it('keeps unicode, spaces and long secrets exactly', async () => {
      const keychain = await create()
      const secrets = ['pässwörd 🔑 密码', '  leading and trailing  ', 'x'.repeat(4096)]
      for (const [index, secret] of secrets.entries()) {
        await keychain.set(account(`exact-${index}`), secret)
        await expect(keychain.get(account(`exact-${index}`))).resolves.toBe(secret)
      }
    })

    it('keeps accounts apart', async () => {
      const keychain = await create()
      await keychain.set(account('a'), 'secret-a')
      await keychain.set(account('b'), 'secret-b')
      await keychain.delete(account('a'))
      await expect(keychain.get(account('a'))).resolves.toBeUndefined()
      await expect(keychain.get(account('b'))).resolves.toBe('secret-b')
    })
  })
}
