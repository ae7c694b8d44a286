import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ADA, ADA_TRIGGER, BOB, BOB_TRIGGER, DEMO_PROJECT, EXPIRED_TRIGGER } from '../fake-gitlab/seed.ts'
import type { FakeGitLab } from '../fake-gitlab/server.ts'
import { useSeededGitLab } from './seeded-gitlab.ts'
import { spawnGlt, type SpawnOptions } from './spawn-glt.ts'

// glt tokens, built and spawned, against the fake GitLab: what it prints, and what the fake now holds.

let gitlab: FakeGitLab

useSeededGitLab((fake) => (gitlab = fake))

/** One user's machine: its own HOME and config folder (kept between runs), GITLAB_HOST and a PAT. */
function machine(pat: string = ADA.pat) {
  const home = mkdtempSync(path.join(tmpdir(), 'glt-e2e-tokens-'))
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GITLAB_HOST: gitlab.url, GITLAB_TOKEN: pat }
  return (args: string[], options: Omit<SpawnOptions, 'env'> & { env?: Record<string, string> } = {}) =>
    spawnGlt(args, { ...options, env: { ...env, ...options.env } })
}

const P = ['-p', DEMO_PROJECT.path]
const tokenOf = (id: number) => gitlab.triggers.find((t) => t.id === id)?.token
const calls = (route: string) => gitlab.requests.filter((r) => r.route === route)

describe('glt tokens against the fake GitLab', () => {
  it('list: masks Ada\'s tokens, shows Bob\'s as GitLab cut it, and sends Ada\'s PAT', async () => {
    const result = await machine()(['tokens', 'list', ...P])
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    const rows = result.stdout.trimEnd().split('\n').map((line) => line.split('\t'))
    expect(rows.map((row) => [row[0], row[2], row[6]])).toEqual([
      ['1', 'ada', 'glptt-…0001'],
      ['2', 'bob', 'glpt'],
      ['3', 'ada', 'glptt-…0003'],
    ])
    expect(result.stdout).not.toContain(ADA_TRIGGER.token)
    expect(calls('list-triggers').map((r) => r.headers['private-token'])).toEqual([ADA.pat])
  })

  it('list follows the pages: 150 tokens in two requests', async () => {
    for (let i = 0; i < 147; i++) gitlab.addTrigger(DEMO_PROJECT.id, { token: `glptt-page${String(i).padStart(34, '0')}`, description: `t${i}`, ownerId: ADA.id })
    gitlab.settings.omitPaginationTotals = true
    const result = await machine()(['tokens', 'list', ...P, '--json'])
    expect(result.exitCode).toBe(0)
    expect((JSON.parse(result.stdout) as unknown[]).length).toBe(150)
    expect(calls('list-triggers').map((r) => r.query)).toEqual([
      { per_page: '100', page: '1' },
      { per_page: '100', page: '2' },
    ])
  })

  it('list --json --show-token: Ada\'s tokens in full, Bob\'s still 4 characters', async () => {
    const result = await machine()(['tokens', 'list', ...P, '--json', '--show-token'], { showsSecretOnPurpose: true })
    expect(result.exitCode).toBe(0)
    const listed = JSON.parse(result.stdout) as { id: number; token: string }[]
    expect(listed.map((t) => t.token)).toEqual([ADA_TRIGGER.token, 'glpt', EXPIRED_TRIGGER.token])
  })

  it('create prints the new token, which GitLab now holds and which triggers pipelines', async () => {
    const glt = machine()
    // Printing the new token is create's purpose: this run is left out of the suite-wide secret scan.
    const result = await glt(['tokens', 'create', ...P, '-d', 'nightly', '--expires-at', '2099-12-31'], { showsSecretOnPurpose: true })
    expect(result.exitCode, result.stderr).toBe(0)
    const created = gitlab.triggers.at(-1)!
    expect(created).toMatchObject({ id: 4, description: 'nightly', ownerId: ADA.id, projectId: DEMO_PROJECT.id })
    expect(created.expiresAt).toMatch(/^2099-12-31/)
    expect(result.stdout).toBe(`${created.token}\n`)
    expect(calls('create-trigger').map((r) => r.params)).toEqual([{ description: 'nightly', expires_at: '2099-12-31' }])

    const triggered = await glt(['trigger', ...P, '-r', 'main', '--token-stdin'], { stdin: created.token })
    expect(triggered.exitCode, triggered.stderr).toBe(0)
    expect(gitlab.pipelines.map((p) => p.triggerId)).toEqual([4])
  })

  it('create --save (file), then trigger with no token argument, then revoke --yes removes it everywhere', async () => {
    const glt = machine()
    const create = await glt(['tokens', 'create', ...P, '-d', 'from e2e', '--save', '--insecure-storage'])
    expect(create).toMatchObject({ exitCode: 0, stdout: '' })
    const token = tokenOf(4)!
    expect(create.stderr).toContain(`saved it in `)
    expect(create.stderr).not.toContain(token)

    const list = await glt(['tokens', 'list', '-p', String(DEMO_PROJECT.id)])
    expect(list.stdout.split('\n')[3]?.split('\t').slice(-2)).toEqual([`glptt-…${token.slice(-4)}`, 'file'])

    const triggered = await glt(['trigger', '-p', String(DEMO_PROJECT.id), '-r', 'main'])
    expect(triggered.exitCode, triggered.stderr).toBe(0)
    expect(calls('trigger').map((r) => r.params.token)).toEqual([token])

    const revoke = await glt(['tokens', 'revoke', '4', ...P, '--yes'])
    expect(revoke).toMatchObject({ exitCode: 0, stdout: '' })
    expect(revoke.stderr).toMatch(/^✓ Revoked trigger token 4 \("from e2e"\) in acme\/platform\/api and removed it from .*credentials\.json\n$/)
    expect(tokenOf(4)).toBeUndefined()

    const after = await glt(['trigger', ...P, '-r', 'main', '--token-stdin'], { stdin: token })
    expect(after.exitCode).toBe(3)
    expect(after.stderr).toContain('404')
    const nothingSaved = await glt(['trigger', ...P, '-r', 'main'])
    expect(nothingSaved.exitCode).toBe(3)
  })

  it('revoke without --yes in a pipe exits 2 and sends nothing', async () => {
    const result = await machine()(['tokens', 'revoke', '1', ...P])
    expect(result.exitCode).toBe(2)
    expect(gitlab.requests).toEqual([])
    expect(tokenOf(1)).toBe(ADA_TRIGGER.token)
  })

  it('revoke --yes: the token is gone, and a trigger with it then gets 404', async () => {
    const glt = machine()
    const result = await glt(['tokens', 'revoke', '1', ...P, '--yes'])
    expect(result).toMatchObject({ exitCode: 0, stdout: '', stderr: '✓ Revoked trigger token 1 ("Deploy from acme/tools") in acme/platform/api\n' })
    expect(gitlab.triggers.map((t) => t.id)).toEqual([2, 3])
    expect(calls('delete-trigger').map((r) => r.path)).toEqual([`/api/v4/projects/${DEMO_PROJECT.encodedPath}/triggers/1`])

    const trigger = await glt(['trigger', ...P, '-r', 'main', '--token-stdin'], { stdin: ADA_TRIGGER.token })
    expect(trigger.exitCode).toBe(3)
    expect(calls('trigger').map((r) => r.status)).toEqual([404])
  })

  it('rotate: a new token with the same description, printed; the old one revoked', async () => {
    const result = await machine()(['tokens', 'rotate', '1', ...P])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(gitlab.triggers.map((t) => [t.id, t.description])).toEqual([
      [2, BOB_TRIGGER.description],
      [3, EXPIRED_TRIGGER.description],
      [4, ADA_TRIGGER.description],
    ])
    expect(result.stdout).toBe(`${tokenOf(4)}\n`)
    expect(result.stderr).toBe(
      `✓ Rotated trigger token 1 ("${ADA_TRIGGER.description}") in acme/platform/api: created trigger token 4 ("${ADA_TRIGGER.description}"), revoked 1.\n`,
    )
  })

  it('rotate of a saved token saves the new one in its place', async () => {
    const glt = machine()
    const save = await glt(['tokens', 'save', ...P, '--token-stdin', '--insecure-storage'], { stdin: ADA_TRIGGER.token })
    expect(save.exitCode, save.stderr).toBe(0)
    const rotate = await glt(['tokens', 'rotate', '1', '-p', String(DEMO_PROJECT.id), '--insecure-storage'])
    expect(rotate).toMatchObject({ exitCode: 0, stdout: '' })
    expect(await glt(['trigger', ...P, '-r', 'main'])).toMatchObject({ exitCode: 0 })
    expect(calls('trigger').map((r) => r.params.token)).toEqual([tokenOf(4)])
  })
})

describe('glt tokens: what GitLab refuses', () => {
  it("Bob (Developer) cannot list: 403, exit 3, and the hint names the Maintainer role", async () => {
    const result = await machine(BOB.pat)(['tokens', 'list', ...P])
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: GitLab refused listing the trigger tokens of acme/platform/api (403 Forbidden)\n' +
        'Managing trigger tokens needs the Maintainer or Owner role in acme/platform/api; ask a Maintainer to do it, or to raise your role.\n',
    )
  })

  it('Bob\'s read_api token cannot create: 403 insufficient_scope, nothing created', async () => {
    const result = await machine(BOB.pat)(['tokens', 'create', ...P, '-d', 'x'])
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toContain('(403 insufficient_scope)')
    expect(gitlab.triggers).toHaveLength(3)
  })

  it('a Developer with the api scope cannot create either: 403 names the Maintainer role', async () => {
    gitlab.addUser({ id: 3, username: 'carol', name: 'Carol', pat: { token: 'glpat-demo-carol-000000000000000', scopes: ['api'] }, roles: { [DEMO_PROJECT.id]: 'developer' } })
    const result = await machine('glpat-demo-carol-000000000000000')(['tokens', 'create', ...P, '-d', 'x'])
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toContain('needs the Maintainer or Owner role in acme/platform/api')
    expect(gitlab.triggers).toHaveLength(3)
  })

  it('a revoked PAT: 401, exit 3', async () => {
    const result = await machine('glpat-not-a-real-token-00000000')(['tokens', 'list', ...P])
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toContain('(401 Unauthorized)')
  })
})
