import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SpawnRecord } from './build-once.ts'

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
      recordForLeakScan({ args, secrets: secretsGiven(env, options.stdin), output: options.showsSecretOnPurpose ? '' : stdout + stderr })
      resolve({ exitCode, signal, stdout, stderr })
    })
    child.stdin.end(options.stdin ?? '')
    options.onSpawn?.(child)
  })
}

const TOKEN_VARIABLES = ['GLT_TRIGGER_TOKEN', 'GITLAB_TOKEN', 'CI_JOB_TOKEN']

function secretsGiven(env: Record<string, string>, stdin: string | undefined): string[] {
  const given = TOKEN_VARIABLES.map((name) => env[name]).concat(stdin?.trim())
  return given.filter((value): value is string => value !== undefined && value.length >= 8)
}

/** Leaves this run's output for the suite-wide scan in build-once.ts. */
function recordForLeakScan(record: SpawnRecord): void {
  const dir = process.env.GLT_E2E_OUTPUT_DIR
  if (dir) writeFileSync(path.join(dir, `${randomUUID()}.json`), JSON.stringify(record))
}
