import { homedir } from 'node:os'
import { isatty } from 'node:tty'
import { createAccountIndex } from './auth/account-index.ts'
import { createCredentials, type Credentials } from './auth/credentials.ts'
import { configDirFrom, createFileStore } from './auth/file-store.ts'
import { createOsKeychain, type Keychain } from './auth/keychain.ts'
import { resolveHost, type GitLabHost } from './config/host.ts'
import { isDebug, type Env } from './config/env.ts'
import { readGitContext, type GitContext } from './git.ts'
import { createGitLabClient, type FetchLike, type GitLabClient } from './gitlab/client.ts'
import { createNodeFetch } from './gitlab/node-fetch.ts'
import { createIO, readAll, type IO } from './ui/io.ts'
import { createInquirerPrompter, type Prompter } from './ui/prompter.ts'
import { CancelledError, UsageError } from './errors.ts'
import { VERSION } from './version.ts'

/** Everything outside the process a command may use; tests build their own. */
export interface Deps {
  io: IO
  env: Env
  cwd: string
  prompter: Prompter
  /** Every secret seen in this run: redacted from traces and from any error message. */
  secrets: Set<string>
  /** `uninterruptible`: for the clean-up after Ctrl-C (cancelling a pipeline), which must still go out. */
  gitlab(host: GitLabHost, options: { timeoutMs: number; secrets?: readonly string[]; uninterruptible?: boolean }): GitLabClient
  /** Waits `ms`; rejects with CancelledError on Ctrl-C. */
  sleep(ms: number): Promise<void>
  readTextFile(path: string): Promise<string>
  /** All of standard input; refuses a terminal, where a token typed in would be echoed. */
  readStdin(): Promise<string>
  readGitContext(cwd: string): Promise<GitContext>
  /** Saved tokens: the OS keychain, or the opted-in file, with glt's index of what is where. */
  credentials: Credentials
  /** `$XDG_CONFIG_HOME/glt`: the index and the opted-in credentials file. */
  configDir: string
  now(): Date
}

/** Options every command shares, known once argv is parsed. */
export interface GlobalFlags {
  debug: boolean
  noColor: boolean
}

/** What a command's `register` gets: dependencies built on demand, so `--help` builds none. */
export interface CommandContext {
  deps(): Deps
  host(flag: string | undefined): GitLabHost
}

export interface SystemDepsOptions extends GlobalFlags {
  /** Aborted on Ctrl-C: requests in flight stop and glt exits 130. */
  signal?: AbortSignal
}

/** The real process: its streams, environment, undici with proxy support, Inquirer, the keychain. */
export async function createSystemDeps(options: SystemDepsOptions): Promise<Deps> {
  // No prototype: a variable name such as `constructor` must read as unset, not as a function.
  const env: Env = Object.assign(Object.create(null) as Record<string, string | undefined>, process.env)
  const streams = {
    stdout: process.stdout,
    stderr: process.stderr,
    // Not process.stdin itself: see createIO.
    get stdin() {
      return process.stdin
    },
  }
  const io = await createIO(streams, env, {
    stdinIsTTY: isatty(0),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    noColor: options.noColor,
  })
  return buildDeps({
    io,
    env,
    cwd: process.cwd(),
    fetch: proxyConfigured(env) ? undiciFetch() : createNodeFetch(),
    debug: options.debug,
    signal: options.signal,
    configDir: configDirFrom(env, homedir()),
    keychain: createOsKeychain(),
  })
}

export interface BuildDepsOptions {
  io: IO
  env: Env
  cwd: string
  fetch: FetchLike
  debug: boolean
  signal?: AbortSignal | undefined
  prompter?: Prompter
  configDir: string
  keychain: Keychain
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
}

/** Shared by the real process and tests: only the edges (streams, fetch, prompter) differ. */
export function buildDeps(options: BuildDepsOptions): Deps {
  const { io } = options
  const secrets = new Set<string>()
  const sleep = options.sleep ?? ((ms: number) => interruptibleSleep(ms, options.signal))
  return {
    io,
    env: options.env,
    cwd: options.cwd,
    secrets,
    prompter: options.prompter ?? createInquirerPrompter(io),
    gitlab: (host, clientOptions) => {
      for (const secret of clientOptions.secrets ?? []) secrets.add(secret)
      return createGitLabClient({
        host,
        fetch: options.fetch,
        timeoutMs: clientOptions.timeoutMs,
        userAgent: `glt/${VERSION}`,
        secrets,
        signal: clientOptions.uninterruptible ? undefined : options.signal,
        debug: isDebug(options.debug, options.env) ? (line) => io.stderr.write(`${io.err.dim(`debug: ${line}`)}\n`) : undefined,
        sleep: (ms) => sleep(ms),
        notice: (line) => io.stderr.write(`glt: ${line}\n`),
      })
    },
    sleep,
    readTextFile: async (path) => (await import('node:fs/promises')).readFile(path, 'utf8'),
    readStdin: async () => {
      if (io.stdinIsTTY) {
        throw new UsageError('--token-stdin needs the token piped in, not typed at a terminal', {
          hint: 'Pipe it in, for example: printenv TOKEN | glt ... --token-stdin; in a terminal, leave the flag out to be prompted.',
          key: 'stdin-is-terminal',
        })
      }
      return readAll(io.stdin)
    },
    readGitContext,
    configDir: options.configDir,
    credentials: createCredentials({
      keychain: options.keychain,
      file: createFileStore({ configDir: options.configDir }),
      index: createAccountIndex({ configDir: options.configDir }),
      now: options.now ?? (() => new Date()),
    }),
    now: options.now ?? (() => new Date()),
  }
}

/** Any proxy variable set: then undici's proxy agent applies it (and NO_PROXY) to each request. */
function proxyConfigured(env: Env): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => Boolean(env[name]))
}

/** undici's fetch with HTTPS_PROXY/NO_PROXY support, loaded only when a request is made. */
function undiciFetch(): FetchLike {
  let dispatcher: unknown
  return async (url, init) => {
    const loaded = await import('undici')
    // Bundled, this CommonJS package arrives as the module's default export.
    const undici = 'EnvHttpProxyAgent' in loaded ? loaded : (loaded as unknown as { default: typeof loaded }).default
    dispatcher ??= new undici.EnvHttpProxyAgent()
    return (await undici.fetch(url, { ...init, dispatcher: dispatcher as InstanceType<typeof undici.EnvHttpProxyAgent> })) as never
  }
}

export function hostResolver(env: Env): (flag: string | undefined) => GitLabHost {
  return (flag) => resolveHost(flag, env)
}

function interruptibleSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError('interrupted', { key: 'cancelled' }))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(new CancelledError('interrupted', { key: 'cancelled' }))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
