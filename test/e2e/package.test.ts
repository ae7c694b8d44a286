import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `npm pack` and `npm install -g` as a user or a release job runs them: the published tarball is
// the one thing users get, so it is built from scratch and installed into an empty prefix.
const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string }
const SLOW = 180_000

let work: string
let source: string
let tarball: string
let packedFiles: string[]

/**
 * npm itself needs the machine's npm configuration (registry, proxy, the cache `npm ci` filled),
 * but not the other `npm_*` variables an enclosing `npm test` sets: they would redirect the prefix.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const kept = new Set(['npm_config_cache', 'npm_config_userconfig'])
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || kept.has(name.toLowerCase())))
}

/** Files under `dir`, relative to `base`, with forward slashes as npm lists them. */
function listFiles(dir: string, base: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(base, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'glt-package-'))
  // A copy of the checkout without dist/: packing must build it (prepare), and must not rebuild
  // the dist/ that the other end-to-end tests are running at the same time.
  source = path.join(work, 'source')
  const skip = new Set(['node_modules', 'dist', '.git', 'coverage'])
  cpSync(root, source, { recursive: true, filter: (from) => !skip.has(path.basename(from)) && !from.endsWith('.tgz') })
  symlinkSync(path.join(root, 'node_modules'), path.join(source, 'node_modules'), 'dir')
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: source, env: npmEnv() })
  const [result] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[]
  tarball = path.join(work, result!.filename)
  packedFiles = result!.files.map((file) => file.path).sort()
}, SLOW)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('the npm package', () => {
  it('contains the launcher, the built CLI, completions, README, licence and package.json; no sources or tests', () => {
    const expected = ['README.md', 'LICENSE', 'package.json', 'bin/glt', 'bin/package.json', ...listFiles(path.join(source, 'dist'), source), ...listFiles(path.join(source, 'completions'), source)]
    expect(packedFiles).toEqual(expected.sort())
    expect(packedFiles).toEqual(expect.arrayContaining(['dist/cli.cjs', 'dist/THIRD-PARTY-LICENSES.txt', 'completions/glt.bash', 'completions/_glt', 'completions/glt.fish']))
    expect(packedFiles.filter((file) => /^(src|test|scripts)\//.test(file) || file.endsWith('.ts'))).toEqual([])
  })

  it('installs globally into an empty prefix, without install scripts, and runs', async () => {
    const prefix = path.join(work, 'prefix')
    // --ignore-scripts: the keychain binding must arrive as a prebuilt platform package, with no
    // compiler or download step that could fail on a user's machine.
    await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', tarball], {
      cwd: work,
      env: npmEnv(),
    })
    const installed = path.join(prefix, 'lib', 'node_modules', pkg.name)
    const home = path.join(work, 'home')
    // Only what a shell needs to find `glt` and `node`: nothing of this machine's set-up.
    const env = { PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath)].join(path.delimiter), HOME: home }

    const version = await run('glt', ['--version'], { env, cwd: work })
    expect(version).toEqual({ stdout: `${pkg.version}\n`, stderr: '' })

    const dryRun = await run('glt', ['trigger', '--dry-run', '-p', 'group/app', '-r', 'main'], { env, cwd: work })
    expect(dryRun).toEqual({
      stdout: [
        'curl --request POST \\',
        '  --form-string "token=$GLT_TRIGGER_TOKEN" \\',
        '  --form-string ref=main \\',
        '  https://gitlab.com/api/v4/projects/group%2Fapp/trigger/pipeline',
        '',
      ].join('\n'),
      stderr: '',
    })

    // The keychain binding is loaded lazily by glt; load it here to prove its native part is installed.
    const keyring = await run(process.execPath, ['-e', "require('@napi-rs/keyring'); console.log('loaded')"], { env, cwd: installed })
    expect(keyring.stdout).toBe('loaded\n')
  }, SLOW)
})
