import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** End-to-end tests run the built bin/glt: build it once per run so they never test stale code. */
export default function buildGlt(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
}
