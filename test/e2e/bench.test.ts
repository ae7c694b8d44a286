import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

// Performance figures come from `npm run bench`: it must keep working. No timing is asserted.
describe('npm run bench', () => {
  it('prints a median, min, max, ratio and peak memory for each command, and the baseline rows', () => {
    const result = spawnSync(process.execPath, ['scripts/bench.mjs', '--runs', '1', '--baseline', ROOT], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    for (const name of ['node -e 0', 'glt --version', 'glt trigger', 'glt --dry-run', 'node:http POST', 'curl trigger', 'baseline trigger', 'baseline dry-run']) {
      expect(result.stdout).toMatch(new RegExp(`^${name} +[\\d.]+ ms +[\\d.]+ +[\\d.]+ +[\\d.]+× +([\\d.]+ MiB|n/a)$`, 'm'))
    }
  })
})
