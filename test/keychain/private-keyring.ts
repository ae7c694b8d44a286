import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'

const withKeyringScript = fileURLToPath(new URL('./with-keyring.sh', import.meta.url))

/**
 * Points this test process at the private keyring of the run (see global-setup.ts) and returns the
 * environment for child processes that should use it. Call it at the top of a test file, before any
 * keyring call: libdbus keeps the first session bus connection of a process for its lifetime.
 */
export function usePrivateKeyring(): { DBUS_SESSION_BUS_ADDRESS: string; PATH: string } {
  const address = inject('keyringBusAddress')
  process.env['DBUS_SESSION_BUS_ADDRESS'] = address
  return { DBUS_SESSION_BUS_ADDRESS: address, PATH: process.env['PATH'] ?? '/usr/bin:/bin' }
}

export interface ProcessResult {
  code: number | null
  stdout: string
  stderr: string
  elapsedMs: number
}

/** Runs a program to completion with exactly the environment given. Never rejects on a non-zero exit. */
export function run(file: string, args: string[], env: Record<string, string>): Promise<ProcessResult> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(error)
        return
      }
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr, elapsedMs: performance.now() - started })
    })
  })
}

/** Runs `with-keyring.sh ARGS...`: a command against its own private keyring. Through bash, so a lost executable bit does not matter. */
export function withKeyring(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return run('bash', [withKeyringScript, ...args], env)
}

/** `secret-tool` (libsecret) against the private keyring: an independent look at what glt stored. */
export function secretTool(env: Record<string, string>, ...args: string[]): Promise<ProcessResult> {
  return run('secret-tool', args, env)
}
