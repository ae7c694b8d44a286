import { join } from 'node:path'
import { Option, type Command } from 'commander'
import type { CredentialStore } from '../auth/credentials.ts'
import type { GitLabHost } from '../config/host.ts'
import type { CommandContext, Deps } from '../deps.ts'
import { AuthError, GltError, UsageError } from '../errors.ts'
import {
  getCurrentUser,
  getPersonalAccessTokenSelf,
  personalAccessTokensUrl,
  timeUntilExpiry,
  type GitLabUser,
  type PersonalAccessTokenInfo,
} from '../gitlab/users.ts'
import { startSpinner, type IO } from '../ui/io.ts'

export interface LoginOptions {
  host: GitLabHost
  /** Read the token from stdin; without it: a masked prompt in a terminal, else stdin all the same. */
  tokenStdin: boolean
  insecureStorage: boolean
}

export type LoginDeps = Pick<Deps, 'io' | 'env' | 'prompter' | 'gitlab' | 'readStdin' | 'credentials' | 'configDir' | 'now'>

/** Per request: checking a token is two small GETs. */
export const REQUEST_TIMEOUT_MS = 30_000
/** Expiry within this long earns a warning. */
export const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000

export async function run(options: LoginOptions, deps: LoginDeps): Promise<void> {
  const { io } = deps
  const { host } = options
  const store: CredentialStore = options.insecureStorage ? 'file' : 'keychain'
  // Before the token is asked for: an unavailable keychain should not cost a paste for nothing.
  await deps.credentials.checkStore(store)
  const token = await readToken(options, deps)
  checkPersonalAccessToken(token, 'the token given', host)

  const client = deps.gitlab(host, { timeoutMs: REQUEST_TIMEOUT_MS, secrets: [token] })
  const credential = { token, kind: 'pat' as const }
  const spinner = await startSpinner(io, `Checking the token with ${host.name}`)
  let user: GitLabUser
  let details: PersonalAccessTokenInfo | undefined
  try {
    user = await getCurrentUser(client, credential)
    details = await getPersonalAccessTokenSelf(client, credential)
  } catch (error) {
    throw rephraseRejection(error, `GitLab at ${host.name} rejected the token (401 Unauthorized): it is invalid, expired or revoked; nothing was saved`, {
      hint: `Create a personal access token with the api scope at ${personalAccessTokensUrl(host)}, then run glt login again.`,
    })
  } finally {
    spinner.stop()
  }

  if (options.insecureStorage) {
    io.stderr.write(
      `${io.err.yellow('!')} --insecure-storage: saving the token in plain text in ${join(deps.configDir, 'credentials.json')}, readable by any program running as you.\n`,
    )
  }
  await deps.credentials.savePat(host, token, store)

  io.stderr.write(`${io.err.green('✓')} Logged in to ${host.name} as ${io.err.bold(user.username)} (${user.name})\n`)
  io.stderr.write(`${describeToken(details)}\n`)
  io.stderr.write(`Saved in ${store === 'file' ? `${join(deps.configDir, 'credentials.json')}` : 'the OS keychain'}.\n`)
  for (const warning of [scopeWarning(details), expiryWarning(details, deps.now(), host, 'run glt login again')]) {
    if (warning) io.stderr.write(`${io.err.yellow('!')} ${warning}\n`)
  }
  if (deps.env.GITLAB_TOKEN?.trim()) {
    io.stderr.write(`${io.err.yellow('!')} GITLAB_TOKEN is set: glt uses it instead of the saved token until you unset it.\n`)
  }
}

/** `--token-stdin`, a masked prompt in a terminal, else whatever is piped in. */
async function readToken(options: LoginOptions, deps: LoginDeps): Promise<string> {
  const { io } = deps
  let token: string
  if (!options.tokenStdin && io.canPrompt) {
    io.stderr.write(
      io.err.dim(`Create a personal access token with the api scope at ${personalAccessTokensUrl(options.host, true)}\n`),
    )
    token = await deps.prompter.secret(`Personal access token for ${options.host.name}:`)
    if (token.trim() === '') throw new UsageError('no token given', { hint: 'Paste a personal access token (glpat-…) at the prompt.', key: 'token-empty' })
  } else {
    token = await deps.readStdin()
    if (token.trim() === '') throw noTokenInput(options.tokenStdin)
  }
  return token.trim()
}

function noTokenInput(tokenStdin: boolean): UsageError {
  return new UsageError(tokenStdin ? '--token-stdin read an empty token' : 'no token: standard input was empty, and glt cannot prompt here', {
    hint: 'Pipe a personal access token in with --token-stdin, for example: printenv GITLAB_PAT | glt login --token-stdin',
    key: 'token-empty',
  })
}

/**
 * Refuses what is surely not a personal access token before anything is sent: a trigger token can
 * trigger pipelines and nothing else, so GitLab would only answer 401.
 */
export function checkPersonalAccessToken(token: string, from: string, host: GitLabHost): void {
  if (token.startsWith('glptt-')) {
    throw new AuthError(`${from} is a pipeline trigger token (glptt-…), not a personal access token`, {
      hint:
        `A trigger token can only start pipelines. glt login takes a personal access token with the api scope: ` +
        `create one at ${personalAccessTokensUrl(host)}.`,
      key: 'trigger-token-as-pat',
    })
  }
  if (/\s/.test(token)) {
    throw new UsageError(`${from} contains white space`, {
      hint: 'Copy the token again: personal access tokens are a single word such as glpat-… .',
      key: 'token-malformed',
    })
  }
}

/** GitLab's 401 said in the caller's words (which token, what to do); other errors pass through unchanged. */
export function rephraseRejection(error: unknown, message: string, options: { hint: string }): unknown {
  if (!(error instanceof GltError) || error.key !== 'token-rejected') return error
  return new AuthError(message, { hint: options.hint, key: 'token-rejected', cause: error })
}

/** `Token "laptop": scopes api, read_user; expires 2026-09-01`. */
export function describeToken(details: PersonalAccessTokenInfo | undefined): string {
  // GitLab before 15.5 has no GET /personal_access_tokens/self; it answers 404 for non-PAT tokens too.
  if (details === undefined) return 'Token scopes and expiry unknown: this GitLab does not report them for this token.'
  const scopes = details.scopes.length > 0 ? details.scopes.join(', ') : 'none'
  return `Token "${details.name}": scopes ${scopes}; ${details.expires_at === null ? 'never expires' : `expires ${details.expires_at}`}`
}

/** Managing trigger tokens needs the api scope; read_api suffices for reading pipelines. */
export function scopeWarning(details: PersonalAccessTokenInfo | undefined): string | undefined {
  if (details === undefined || details.scopes.includes('api')) return undefined
  return 'The token lacks the api scope: glt tokens (creating, listing and revoking trigger tokens) needs it.'
}

/** A token that stops working within EXPIRY_WARNING_MS; `renew` says what to do after creating a new one. */
export function expiryWarning(details: PersonalAccessTokenInfo | undefined, now: Date, host: GitLabHost, renew: string): string | undefined {
  if (details === undefined) return undefined
  const left = timeUntilExpiry(details.expires_at, now)
  if (left === undefined || left > EXPIRY_WARNING_MS) return undefined
  return `The token expires ${describeTimeLeft(left)} (${details.expires_at}): create a new one at ${personalAccessTokensUrl(host)}, then ${renew}.`
}

function describeTimeLeft(ms: number): string {
  const days = Math.floor(ms / (24 * 60 * 60 * 1000))
  if (days <= 0) return 'within a day'
  return `in ${days} day${days === 1 ? '' : 's'}`
}

export function register(program: Command, context: CommandContext, runFn = run): void {
  program
    .command('login')
    .description('Check a personal access token with GitLab and save it for the host')
    .option('--token-stdin', 'read the token from standard input')
    .option('--insecure-storage', 'save the token in a plain-text file instead of the OS keychain')
    .addOption(new Option('--host <url>', 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'))
    .addHelpText(
      'after',
      `
The token needs the api scope for glt tokens; read_api is enough for trigger --wait.
GITLAB_TOKEN, when set, is used instead of the saved token.

Examples:
  $ glt login --host gitlab.example.com
  $ printenv GITLAB_PAT | glt login --host gitlab.example.com --token-stdin
  $ glt login --insecure-storage        # a machine without an OS keychain`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const deps = context.deps()
      const options: LoginOptions = {
        host: context.host(flags.host as string | undefined),
        tokenStdin: flags.tokenStdin === true,
        insecureStorage: flags.insecureStorage === true,
      }
      checkTokenSource(options, deps.io)
      await runFn(options, deps)
    })
}

/** A terminal on stdin with no prompt allowed: glt can neither ask nor read a piped token. */
function checkTokenSource(options: LoginOptions, io: IO): void {
  if (options.tokenStdin && io.stdinIsTTY) {
    throw new UsageError('--token-stdin needs the token piped in, not typed at a terminal', {
      hint: 'For example: printenv GITLAB_PAT | glt login --token-stdin; in a terminal, leave the flag out to be prompted.',
      key: 'stdin-is-terminal',
    })
  }
  if (!options.tokenStdin && !io.canPrompt && io.stdinIsTTY) {
    throw new UsageError('no token: glt cannot prompt here (CI, GLT_NO_PROMPT or no terminal on stderr) and nothing is piped in', {
      hint: 'Pipe a personal access token in with --token-stdin, for example: printenv GITLAB_PAT | glt login --token-stdin',
      key: 'missing-option',
    })
  }
}
