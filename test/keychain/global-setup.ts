import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The private session bus on which an unlocked, throw-away gnome-keyring runs for this test run. */
    keyringBusAddress: string
  }
}

const withKeyring = fileURLToPath(new URL('./with-keyring.sh', import.meta.url))
const startTimeoutMs = 15_000

/**
 * Starts one private D-Bus session bus with an unlocked gnome-keyring for the whole run (through
 * with-keyring.sh, so tests and CI share one recipe) and hands its address to the tests with
 * `provide`. The keyring lives as long as the wrapped command, which waits for its stdin to close:
 * teardown closes it, and so does the death of this process, so nothing is left behind.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The child gets only what it needs: nothing from the user's session (no bus address, no XDG dirs).
  const keyring = spawn('bash', [withKeyring, 'sh', '-c', 'printf "%s\\n" "$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null'], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], TMPDIR: process.env['TMPDIR'] },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => keyring.once('close', (code) => resolve(code)))
  let stderr = ''
  keyring.stderr.setEncoding('utf8')
  keyring.stderr.on('data', (chunk: string) => {
    // Bounded: the daemons may log for the whole run.
    stderr = (stderr + chunk).slice(-4000)
  })

  const address = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`the private keyring did not start within ${startTimeoutMs} ms`)), startTimeoutMs)
    keyring.stdout.setEncoding('utf8')
    keyring.stdout.on('data', (chunk: string) => {
      stdout += chunk
      const newline = stdout.indexOf('\n')
      if (newline !== -1) {
        clearTimeout(timer)
        resolve(stdout.slice(0, newline))
      }
    })
    keyring.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`with-keyring.sh exited with ${code} before the keyring was ready`))
    })
  }).catch((error: unknown) => {
    keyring.stdin.end()
    throw new Error(
      'The keychain tests need a private gnome-keyring (packages: dbus gnome-keyring libsecret-tools; .ci/run installs them). ' +
        `Starting it failed: ${error instanceof Error ? error.message : String(error)}\n${stderr}`,
    )
  })
  if (!address.startsWith('unix:')) throw new Error(`unexpected D-Bus address from with-keyring.sh: ${address}`)
  project.provide('keyringBusAddress', address)

  return async () => {
    keyring.stdin.end()
    const timer = setTimeout(() => keyring.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
}
