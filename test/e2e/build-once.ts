import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * End-to-end set-up for the whole run: build bin/glt once so no test runs stale code, and give
 * every spawned glt a place to leave its output, so that at the end one check can prove that no
 * token any test handed to glt was ever printed (outside `--show-token` and the like).
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
  const outputDir = mkdtempSync(path.join(tmpdir(), 'glt-e2e-outputs-'))
  process.env.GLT_E2E_OUTPUT_DIR = outputDir
  return () => {
    try {
      const records = readdirSync(outputDir).map((name) => JSON.parse(readFileSync(path.join(outputDir, name), 'utf8')) as SpawnRecord)
      const secrets = new Set(records.flatMap((record) => record.secrets))
      const leaks = records.flatMap((record) =>
        [...secrets].filter((secret) => record.output.includes(secret)).map((secret) => `glt ${record.args.join(' ')} printed ${secret.slice(0, 10)}…`),
      )
      if (leaks.length > 0) {
        // vitest reports a throwing teardown but still exits 0: fail the run explicitly.
        process.stderr.write(`FAIL e2e secret scan: tokens leaked into glt's output:\n${leaks.join('\n')}\n`)
        process.exitCode = 1
      }
    } finally {
      rmSync(outputDir, { recursive: true, force: true })
    }
  }
}

export interface SpawnRecord {
  args: string[]
  /** Token values this run was given (environment, stdin). */
  secrets: string[]
  /** stdout and stderr; empty when the run was meant to show a secret. */
  output: string
}
