// Shared by scripts/demo.mjs and scripts/bench.mjs: the real built bin/glt, and the project's fake
// GitLab (test/fake-gitlab/main.ts with the demo data) running in its own process.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const gltBin = path.join(root, 'bin', 'glt')

/** Builds dist/ only when missing: rebuilding would pull it from under a glt already running. */
export function ensureBuilt() {
  if (existsSync(path.join(root, 'dist', 'cli.cjs'))) return
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error('npm run build failed')
}

/**
 * Bundles the fake GitLab into `workDir` and starts it on 127.0.0.1. Resolves once it prints its
 * URL, with the seed's constants (tokens, project) so callers never copy them. Its stdin is our
 * pipe: if this process dies, the server stops too.
 */
export async function startFakeGitLab(workDir) {
  const outdir = path.join(workDir, 'fake-gitlab')
  await build({
    absWorkingDir: root,
    entryPoints: { main: 'test/fake-gitlab/main.ts', seed: 'test/fake-gitlab/seed.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  })
  const seed = await import(pathToFileURL(path.join(outdir, 'seed.mjs')).href)
  const child = spawn(process.execPath, [path.join(outdir, 'main.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const url = await new Promise((resolve, reject) => {
    let buffer = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk
      if (buffer.includes('\n')) resolve(JSON.parse(buffer.split('\n')[0]).url)
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the fake GitLab exited with ${code} before printing its URL`)))
  })
  return {
    url,
    seed,
    /** Stops the server and waits for its process to end. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
