import { afterEach, beforeEach } from 'vitest'
import { seedDemo } from '../fake-gitlab/seed.ts'
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/server.ts'

/**
 * A fresh fake GitLab with the demo data for each test of the file, closed after it; `use` hands
 * each one to the file (`useSeededGitLab((fake) => (gitlab = fake))`).
 */
export function useSeededGitLab(use: (fake: FakeGitLab) => void): void {
  let current: FakeGitLab | undefined
  beforeEach(async () => {
    current = await startFakeGitLab()
    seedDemo(current)
    use(current)
  })
  afterEach(async () => {
    await current?.close()
  })
}
