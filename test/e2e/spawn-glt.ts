import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const GLT_BIN = fileURLToPath(new URL('../../bin/glt', import.meta.url))

export interface SpawnResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface SpawnOptions {
  /** The whole environment glt gets, on top of a private HOME and XDG folders: nothing is inherited. */
  env?: Record<string, string>
  stdin?: string
  cwd?: string
  /** The user asked for a secret (`--show-token`): leave this run out of the suite-wide secret scan. */
  showsSecretOnPurpose?: boolean
  /** Called once the process has started: for sending signals. */
  onSpawn?: (child: ChildProcess) => void
}

/** Every output of every spawned glt in this run, for the suite-wide secret scan. */
export const allOutputs: string[] = []

/** Runs `node bin/glt ...args` as a user would, with no terminal (pipes on all three streams). */
export function spawnGlt(args: string[], options: SpawnOptions = {}): Promise<SpawnResult> {
  const home = mkdtempSync(path.join(tmpdir(), 'glt-e2e-home-'))
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    PATH: path.dirname(process.execPath),
    ...options.env,
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GLT_BIN, ...args], { env, cwd: options.cwd ?? home, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (exitCode, signal) => {
      if (!options.showsSecretOnPurpose) allOutputs.push(stdout, stderr)
      resolve({ exitCode, signal, stdout, stderr })
    })
    child.stdin.end(options.stdin ?? '')
    options.onSpawn?.(child)
  })
}
