import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withKeyring } from './private-keyring.ts'

/** The harness itself: CI trusts it to leave no daemon and no folder behind. */
describe('with-keyring.sh', () => {
  let scratchParent: string
  let env: Record<string, string>
  beforeEach(async () => {
    scratchParent = await mkdtemp(join(tmpdir(), 'glt-with-keyring-'))
    env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: scratchParent, TMPDIR: scratchParent }
  })
  afterEach(async () => {
    await rm(scratchParent, { recursive: true, force: true })
  })

  const isRunning = (pid: number): boolean => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }

  it('runs the command against a private, unlocked keyring and passes on its exit status', async () => {
    const script = 'printf "%s\\n%s\\n%s\\n" "$GLT_TEST_KEYRING_PID" "$XDG_DATA_HOME" "$DBUS_SESSION_BUS_ADDRESS"; ' +
      'printf s | secret-tool store --label=t service glt-harness username u && exit 7'
    const result = await withKeyring(['sh', '-c', script], env)
    expect(result.code).toBe(7)
    const [pid, dataHome, busAddress] = result.stdout.trim().split('\n')
    expect(dataHome?.startsWith(scratchParent)).toBe(true)
    expect(busAddress).toMatch(/^unix:/)
    expect(isRunning(Number(pid))).toBe(false)
    await expect(readdir(scratchParent)).resolves.toEqual([])
  })

  it('cleans up after a command that froze the daemon', async () => {
    const result = await withKeyring(['sh', '-c', 'kill -STOP "$GLT_TEST_KEYRING_PID"; echo "$GLT_TEST_KEYRING_PID"'], env)
    expect(result.code).toBe(0)
    expect(isRunning(Number(result.stdout.trim()))).toBe(false)
    await expect(readdir(scratchParent)).resolves.toEqual([])
  })

  it('refuses to run without a command', async () => {
    const result = await withKeyring([], env)
    expect(result.code).toBe(2)
    expect(existsSync(join(scratchParent, 'data'))).toBe(false)
  })
})
