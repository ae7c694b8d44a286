import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOsKeychain } from '../../src/auth/keychain.ts'
import { buildOsKeychainChild } from './fixtures/build-child.ts'
import { run, secretTool, usePrivateKeyring, withKeyring } from './private-keyring.ts'

const keyringEnv = usePrivateKeyring()
const account = (label: string): string => `os-${randomUUID().slice(0, 8)}-${label}@gitlab.example.com`

describe('OS keychain, seen through secret-tool', () => {
  it('stores the secret in the Secret Service under the attributes service=glt and username=<account>', async () => {
    const stored = account('stored')
    await createOsKeychain().set(stored, 'glpat-seen-by-secret-tool')

    const lookup = await secretTool(keyringEnv, 'lookup', 'service', 'glt', 'username', stored)
    expect(lookup).toMatchObject({ code: 0, stdout: 'glpat-seen-by-secret-tool' })

    // secret-tool prints the secret on stdout and the attributes on stderr.
    const search = await secretTool(keyringEnv, 'search', '--all', 'service', 'glt')
    expect(search.code).toBe(0)
    expect(search.stderr).toContain(`attribute.username = ${stored}`)
    expect(search.stderr).toContain('attribute.service = glt')
  })

  it('reads a secret that another Secret Service client stored', async () => {
    const foreign = account('foreign')
    const store = await run('sh', ['-c', 'printf %s "$1" | secret-tool store --label=glt service glt username "$2"', 'sh', 'glptt-from-secret-tool', foreign], keyringEnv)
    expect(store.code).toBe(0)
    await expect(createOsKeychain().get(foreign)).resolves.toBe('glptt-from-secret-tool')
  })

  it('removes the item from the Secret Service on delete', async () => {
    const deleted = account('deleted')
    const keychain = createOsKeychain()
    await keychain.set(deleted, 'short-lived')
    await keychain.delete(deleted)
    const lookup = await secretTool(keyringEnv, 'lookup', 'service', 'glt', 'username', deleted)
    expect(lookup).toMatchObject({ code: 1, stdout: '' })
  })

  it('keeps services apart', async () => {
    const shared = account('shared')
    await createOsKeychain({ service: 'glt-other' }).set(shared, 'other-secret')
    await expect(createOsKeychain().get(shared)).resolves.toBeUndefined()
    const lookup = await secretTool(keyringEnv, 'lookup', 'service', 'glt-other', 'username', shared)
    expect(lookup.stdout).toBe('other-secret')
  })
})

describe('OS keychain that cannot be used (each case in its own process)', () => {
  let child: Awaited<ReturnType<typeof buildOsKeychainChild>>
  let home: string
  beforeAll(async () => {
    child = await buildOsKeychainChild()
    home = await mkdtemp(join(tmpdir(), 'glt-keychain-home-'))
  })
  afterAll(async () => {
    await child.remove()
    await rm(home, { recursive: true, force: true })
  })

  interface ChildOutcome { error?: string; message?: string; hint?: string; key?: string; isGltError?: boolean; elapsedMs: number }
  const parse = (stdout: string): ChildOutcome => JSON.parse(stdout) as ChildOutcome

  const expectFallbackHint = (outcome: ChildOutcome): void => {
    expect(outcome.hint).toContain('GLT_TRIGGER_TOKEN')
    expect(outcome.hint).toContain('GITLAB_TOKEN')
    expect(outcome.hint).toContain('--insecure-storage')
  }

  it('rejects quickly with KeychainUnavailableError when the bus address points at no socket', async () => {
    const result = await run(process.execPath, [child.script, 'someone@gitlab.example.com'], {
      PATH: keyringEnv.PATH,
      HOME: home,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-such-bus')}`,
    })
    expect(result.code).toBe(0)
    const outcome = parse(result.stdout)
    expect(outcome).toMatchObject({ error: 'KeychainUnavailableError', isGltError: true, key: 'keychain-unavailable' })
    expect(outcome.message).toMatch(/no Secret Service/)
    expect(outcome.message).not.toContain('\n')
    expectFallbackHint(outcome)
    // Loose: measured at a few milliseconds; the point is that it does not wait for the time-out.
    expect(outcome.elapsedMs).toBeLessThan(2000)
  })

  it('rejects with KeychainUnavailableError when there is no session bus at all', async () => {
    const result = await run(process.execPath, [child.script, 'someone@gitlab.example.com'], { PATH: keyringEnv.PATH, HOME: home })
    const outcome = parse(result.stdout)
    expect(outcome).toMatchObject({ error: 'KeychainUnavailableError', key: 'keychain-unavailable' })
    expectFallbackHint(outcome)
  })

  it('says the keychain is locked when the stored item is in a locked keyring', async () => {
    // Reading an account that is not stored succeeds even when locked: the item must exist.
    const storeLockThenRun = 'printf s | secret-tool store --label=glt service glt username locked@gitlab.example.com && ' +
      'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets ' +
      'org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null && exec "$@"'
    const result = await withKeyring(['sh', '-c', storeLockThenRun, 'sh', process.execPath, child.script, 'locked@gitlab.example.com'], { PATH: keyringEnv.PATH, HOME: home })
    expect(result.code).toBe(0)
    const outcome = parse(result.stdout)
    expect(outcome).toMatchObject({ error: 'KeychainUnavailableError', key: 'keychain-locked', message: 'The OS keychain is locked.' })
    expectFallbackHint(outcome)
  })

  it('gives up on a keyring daemon that stopped answering', async () => {
    const freezeThenRun = 'kill -STOP "$GLT_TEST_KEYRING_PID" && exec "$@"'
    const result = await withKeyring(['sh', '-c', freezeThenRun, 'sh', process.execPath, child.script, 'someone@gitlab.example.com', '1000'], { PATH: keyringEnv.PATH, HOME: home })
    expect(result.code).toBe(0)
    const outcome = parse(result.stdout)
    expect(outcome).toMatchObject({ error: 'KeychainUnavailableError', key: 'keychain-timeout' })
    expectFallbackHint(outcome)
    // Loose: libdbus gives up after ~2 s (measured); the whole wrapped run must not hang.
    expect(result.elapsedMs).toBeLessThan(15_000)
  })
})
