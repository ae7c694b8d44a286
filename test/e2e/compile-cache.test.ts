import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import nodeModule from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnGlt } from './spawn-glt.ts'

// On every Node: module.enableCompileCache (Node >= 22.8) keeps less, and serves only dist/lazy/.
describe('bin/glt compile cache', () => {
  const help = (home: string, extra: Record<string, string> = {}) => spawnGlt(['trigger', '--help'], { env: { HOME: home, ...extra } })
  const cacheFiles = (home: string) => {
    const dir = path.join(home, '.cache', 'glt')
    try {
      return readdirSync(dir).map((name) => path.join(dir, name))
    } catch {
      return []
    }
  }

  it('is written on the first run, used by the next, and a damaged one is replaced', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'glt-e2e-cache-'))
    const first = await help(home)
    expect(first.exitCode).toBe(0)
    const [cache, ...others] = cacheFiles(home)
    expect(others).toEqual([])
    expect(path.basename(cache!)).toMatch(new RegExp(`^cli-[0-9a-f]{16}-\\d+-${process.version}-${process.arch}-trigger\\.v8-cache$`))
    expect((statSync(cache!).mode & 0o777).toString(8)).toBe('600')

    const written = readFileSync(cache!)
    expect(await help(home)).toEqual(first)
    // Accepted by V8: the second run had no reason to write it again.
    expect(readFileSync(cache!).equals(written)).toBe(true)

    writeFileSync(cache!, 'not a V8 code cache')
    expect(await help(home)).toEqual(first)
    expect(readFileSync(cache!).length).toBeGreaterThan(1000)

    // Damaged inside, its length intact: V8 would crash on it (SIGTRAP) on every run; glt's digest catches it.
    const damaged = readFileSync(cache!)
    damaged.fill(0x5a, damaged.length / 2, damaged.length / 2 + 400)
    writeFileSync(cache!, damaged)
    expect(await help(home)).toEqual(first)
    expect(readFileSync(cache!).equals(damaged)).toBe(false)
    expect(await help(home)).toEqual(first)
  })

  it('is one per command, each written by its first run; a usage error writes none', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'glt-e2e-cache-'))
    // What follows cli-<build>-<length>-<node>-<arch>-: the command.
    const names = () => cacheFiles(home).map((file) => path.basename(file).split(`-${process.arch}-`)[1])
    expect((await help(home)).exitCode).toBe(0)
    const [triggerCache] = cacheFiles(home)
    const written = readFileSync(triggerCache!)
    // A month old, and still this build's: not cleaned away when another command writes its own.
    const fortyDaysAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000)
    utimesSync(triggerCache!, fortyDaysAgo, fortyDaysAgo)

    expect((await spawnGlt(['help', 'exit-codes'], { env: { HOME: home } })).exitCode).toBe(0)
    expect((await spawnGlt(['--help'], { env: { HOME: home } })).exitCode).toBe(0)
    expect((await spawnGlt(['trgger', '-p', 'x'], { env: { HOME: home } })).exitCode).toBe(2)
    expect(names().sort()).toEqual(['glt.v8-cache', 'help-exit-codes.v8-cache', 'trigger.v8-cache'])
    expect(readFileSync(triggerCache!).equals(written)).toBe(true)
  })

  it('needs an absolute HOME, and leaves nothing behind where it cannot write', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'glt-e2e-cache-'))
    expect((await spawnGlt(['trigger', '--help'], { env: { HOME: 'relative-home' }, cwd })).exitCode).toBe(0)
    expect(readdirSync(cwd)).toEqual([])
  })

  it("leaves other builds' caches alone until they are a month old", async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'glt-e2e-cache-'))
    const dir = path.join(home, '.cache', 'glt')
    mkdirSync(dir, { recursive: true })
    const recent = path.join(dir, 'cli-0000000000000000-1-v20.0.0-x64.v8-cache')
    const old = path.join(dir, 'cli-1111111111111111-1-v20.0.0-x64.v8-cache')
    writeFileSync(recent, 'another glt')
    writeFileSync(old, 'an old glt')
    const fortyDaysAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000)
    utimesSync(old, fortyDaysAgo, fortyDaysAgo)
    expect((await help(home)).exitCode).toBe(0)
    const names = readdirSync(dir)
    expect(names).toContain(path.basename(recent))
    expect(names).not.toContain(path.basename(old))
    expect(names).toHaveLength(2)
  })

  it('goes in $XDG_CACHE_HOME, and nowhere with NODE_DISABLE_COMPILE_CACHE', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'glt-e2e-cache-'))
    const xdg = path.join(home, 'xdg-cache')
    expect((await help(home, { XDG_CACHE_HOME: xdg })).exitCode).toBe(0)
    expect(readdirSync(path.join(xdg, 'glt'))).toHaveLength(1)

    const other = mkdtempSync(path.join(tmpdir(), 'glt-e2e-cache-'))
    expect((await help(other, { NODE_DISABLE_COMPILE_CACHE: '1' })).exitCode).toBe(0)
    expect(cacheFiles(other)).toEqual([])
  })
})

// Node >= 22.8: the parts in dist/lazy/ (here chalk, loaded for a terminal) go in Node's own cache.
describe.skipIf(!('enableCompileCache' in nodeModule))("Node's compile cache", () => {
  it('keeps what glt loads later (dist/lazy/), and not dist/cli.cjs, which glt keeps itself', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'glt-e2e-cache-'))
    // Node's cache goes in $TMPDIR/node-compile-cache/<node version and flags>/.
    const result = await spawnGlt(['version'], { env: { HOME: home, TMPDIR: home, TERM: 'xterm-256color' }, terminal: { columns: 80 } })
    expect(result.exitCode).toBe(0)
    const nodeCaches = readdirSync(path.join(home, 'node-compile-cache'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
    expect(nodeCaches).toHaveLength(1)
    expect(readdirSync(path.join(home, '.cache', 'glt'))).toHaveLength(1)
  })
})
