import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADA, BOB, DEMO_PROJECT, seedDemo } from '../fake-gitlab/seed.ts'
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/server.ts'
import { spawnGlt } from '../e2e/spawn-glt.ts'
import { secretTool, usePrivateKeyring } from './private-keyring.ts'

// The built glt against the fake GitLab and a real gnome-keyring on a private D-Bus session.
const keyringEnv = usePrivateKeyring()
let gitlab: FakeGitLab
let host: string

beforeAll(async () => {
  gitlab = await startFakeGitLab()
  seedDemo(gitlab)
  host = new URL(gitlab.url).host
})
afterAll(async () => {
  await gitlab.close()
})

/** A user's machine: its own HOME and config folder, the private keyring, GITLAB_HOST set. */
function machine(extra: Record<string, string> = {}) {
  const home = mkdtempSync(path.join(tmpdir(), 'glt-keychain-home-'))
  const env = { ...keyringEnv, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GITLAB_HOST: gitlab.url, ...extra }
  return {
    home,
    glt: (args: string[], stdin?: string) => spawnGlt(args, stdin === undefined ? { env } : { env, stdin }),
  }
}

describe('glt login, whoami and logout with the OS keychain', () => {
  it('saves the token in the Secret Service, reports where it is, and removes it', async () => {
    const laptop = machine()
    const login = await laptop.glt(['login', '--token-stdin'], `${ADA.pat}\n`)
    expect(login.exitCode, login.stderr).toBe(0)
    expect(login.stderr).toContain(`Logged in to ${host} as ada (Ada Lovelace)`)
    expect(login.stdout + login.stderr).not.toContain(ADA.pat)

    const stored = await secretTool(keyringEnv, 'lookup', 'service', 'glt', 'username', `pat@${host}`)
    expect(stored).toMatchObject({ code: 0, stdout: ADA.pat })

    const whoami = await laptop.glt(['whoami', '--json'])
    expect(whoami.exitCode).toBe(0)
    expect(JSON.parse(whoami.stdout)).toMatchObject({ host, user: { username: 'ada' }, token: { source: 'keychain', scopes: ['api'] } })

    const logout = await laptop.glt(['logout'])
    expect(logout.exitCode).toBe(0)
    expect((await secretTool(keyringEnv, 'lookup', 'service', 'glt', 'username', `pat@${host}`)).code).not.toBe(0)
    expect((await laptop.glt(['whoami'])).exitCode).toBe(3)
  })

  it('never sends a token saved for one host to another', async () => {
    const laptop = machine()
    expect((await laptop.glt(['login', '--token-stdin'], BOB.pat)).exitCode).toBe(0)
    const other = await startFakeGitLab()
    seedDemo(other)
    try {
      const whoami = await spawnGlt(['whoami', '--host', other.url], { env: { ...keyringEnv, HOME: laptop.home, XDG_CONFIG_HOME: path.join(laptop.home, '.config') } })
      expect(whoami.exitCode).toBe(3)
      expect(other.requests.filter((r) => r.headers['private-token'] !== undefined)).toEqual([])
    } finally {
      await other.close()
    }
  })
})

describe('glt tokens with the OS keychain', () => {
  it('create --save stores the token in the Secret Service; trigger then needs no token; revoke --yes removes it', async () => {
    const laptop = machine({ GITLAB_TOKEN: ADA.pat })
    const account = `trigger@${host}/${DEMO_PROJECT.id}`
    const create = await laptop.glt(['tokens', 'create', '-p', DEMO_PROJECT.path, '-d', 'keychain test', '--save'])
    expect(create, create.stderr).toMatchObject({ exitCode: 0, stdout: '' })
    expect(create.stderr).toContain('saved it in the OS keychain')
    const created = gitlab.triggers.find((t) => t.description === 'keychain test')!
    expect(create.stderr).not.toContain(created.token)
    expect(await secretTool(keyringEnv, 'lookup', 'service', 'glt', 'username', account)).toMatchObject({ code: 0, stdout: created.token })

    const trigger = await laptop.glt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'])
    expect(trigger.exitCode, trigger.stderr).toBe(0)
    expect(gitlab.requests.filter((r) => r.route === 'trigger').map((r) => r.params.token)).toEqual([created.token])

    const revoke = await laptop.glt(['tokens', 'revoke', String(created.id), '-p', String(DEMO_PROJECT.id), '--yes'])
    expect(revoke.exitCode, revoke.stderr).toBe(0)
    expect(revoke.stderr).toContain('and removed it from the OS keychain')
    expect((await secretTool(keyringEnv, 'lookup', 'service', 'glt', 'username', account)).code).not.toBe(0)
    expect(gitlab.triggers.some((t) => t.id === created.id)).toBe(false)
  })
})

describe('without a Secret Service', () => {
  const noBus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/glt-test-bus' }

  it('says the keychain is unavailable, fast, and how to go on', async () => {
    const headless = machine(noBus)
    // Never a hang: each keychain call is bounded (about 3 s); the test's own time-out would catch one.
    const login = await headless.glt(['login', '--token-stdin'], ADA.pat)
    expect(login.exitCode).toBe(1)
    expect(login.stderr).toMatch(/keychain/i)
    expect(login.stderr).toContain('--insecure-storage')
    expect(login.stderr).not.toMatch(/\n\s+at /)
  })

  it('--insecure-storage saves to a 0600 file after a warning, and whoami says so', async () => {
    const headless = machine(noBus)
    const login = await headless.glt(['login', '--token-stdin', '--insecure-storage'], ADA.pat)
    expect(login.exitCode, login.stderr).toBe(0)
    expect(login.stderr).toMatch(/plain text/i)
    const file = path.join(headless.home, '.config', 'glt', 'credentials.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const whoami = await headless.glt(['whoami', '--json'])
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { username: 'ada' }, token: { source: 'file' } })
  })
})
