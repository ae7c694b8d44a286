import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { createMemoryKeychain, type Keychain } from '../../src/auth/keychain.ts'
import { main } from '../../src/cli.ts'
import type { Env } from '../../src/config/env.ts'
import { buildDeps } from '../../src/deps.ts'
import type { FetchLike } from '../../src/gitlab/client.ts'
import { createIO } from '../../src/ui/io.ts'
import { ScriptedPrompter, type ExpectedPrompt } from './scripted-prompter.ts'

export interface RunOptions {
  /** stdin, stdout and stderr are all terminals (true), or all pipes (false, the default). */
  tty?: boolean
  /** The whole environment glt sees: nothing is inherited from the test process. */
  env?: Env
  stdin?: string
  prompts?: ExpectedPrompt[]
  cwd?: string
  /** Defaults to an empty in-memory keychain. */
  keychain?: Keychain
  /** Defaults to a new empty folder: the index and the opted-in credentials file live here. */
  configDir?: string
  fetch?: FetchLike
  /** The clock glt reads (relative times, expiry); defaults to the real one. */
  now?: Date
}

/** Pauses glt asked for (retries, polling), in order: tests never really wait. */
export type Sleeps = number[]

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
  prompter: ScriptedPrompter
  sleeps: Sleeps
}

/** Runs glt in-process with fake streams; HTTP goes through the global fetch, where msw answers. */
export async function runGlt(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  const tty = options.tty ?? false
  const prompter = new ScriptedPrompter(options.prompts)
  const env = options.env ?? {}
  const sleeps: Sleeps = []
  const now = options.now
  const exitCode = await main(argv, {
    makeDeps: async (flags) => {
      const io = await createIO(
        {
          stdout: { write: (s: string) => (stdout += s) },
          stderr: { write: (s: string) => (stderr += s) },
          stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
        },
        env,
        { stdinIsTTY: tty, stdoutIsTTY: tty, stderrIsTTY: tty, noColor: flags.noColor },
      )
      return buildDeps({
        io: { ...io, canAnimate: false },
        env,
        cwd: options.cwd ?? '/nonexistent-glt-test-dir',
        fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init) as never),
        debug: flags.debug,
        prompter,
        keychain: options.keychain ?? createMemoryKeychain(),
        sleep: async (ms) => {
          sleeps.push(ms)
        },
        configDir: options.configDir ?? mkdtempSync(path.join(tmpdir(), 'glt-config-')),
        ...(now === undefined ? {} : { now: () => now }),
      })
    },
  })
  prompter.assertDone()
  return { exitCode, stdout, stderr, prompter, sleeps }
}

export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}
