import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { shellQuote } from '../../src/shell-quote.ts'
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
  /**
   * Run glt in a pseudo-terminal (util-linux `script`): stdin, stdout and stderr are all TTYs, as
   * in an interactive shell or a CI runner that allocates one. Both streams then arrive, merged
   * and with `\n` line ends, in `stdout`. Its size is unknown (0 columns) unless given.
   */
  terminal?: boolean | { columns: number }
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
    const command = [process.execPath, GLT_BIN, ...args]
    const size = typeof options.terminal === 'object' ? `${shellQuote(findTool('stty', 'coreutils'))} cols ${options.terminal.columns} rows 24 && ` : ''
    const script = options.terminal ? findTool('script', 'bsdutils') : undefined
    const [file, argv] = script ? [script, ['-qec', size + command.map(shellQuote).join(' '), '/dev/null']] : [command[0]!, command.slice(1)]
    const child = spawn(file, argv, { env, cwd: options.cwd ?? home, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (exitCode, signal) => {
      if (options.terminal) stdout = stdout.replace(/\r\n/g, '\n')
      if (!options.showsSecretOnPurpose) allOutputs.push(stdout, stderr)
      recordForLeakScan({ args, secrets: secretsGiven(env, options.stdin), output: options.showsSecretOnPurpose ? '' : stdout + stderr })
      resolve({ exitCode, signal, stdout, stderr })
    })
    child.stdin.end(options.stdin ?? '')
    options.onSpawn?.(child)
  })
}

/**
 * A tool from the test runner's PATH: glt's own PATH holds only node's folder, which has no stty
 * when node comes from nvm or a tarball.
 */
function findTool(name: string, packageName: string): string {
  const found = (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, name)).find((file) => existsSync(file))
  if (found === undefined) throw new Error(`the terminal tests need ${name} (Debian: ${packageName}) on PATH`)
  return found
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
