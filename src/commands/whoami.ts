import { Option, type Command } from 'commander'
import { apiTokenHint, type ApiTokenSource } from '../auth/api-token.ts'
import type { CredentialStore } from '../auth/credentials.ts'
import type { PatAccountEntry, TriggerAccountEntry } from '../auth/account-index.ts'
import { isGitLabCI } from '../config/env.ts'
import { hostArgument, type GitLabHost } from '../config/host.ts'
import type { CommandContext, Deps } from '../deps.ts'
import { AuthError, KeychainUnavailableError } from '../errors.ts'
import { getCurrentUser, getPersonalAccessTokenSelf, personalAccessTokensUrl, type GitLabUser, type PersonalAccessTokenInfo } from '../gitlab/users.ts'
import { maskSecret } from '../redact.ts'
import { startSpinner } from '../ui/io.ts'
import { checkPersonalAccessToken, expiryWarning, REQUEST_TIMEOUT_MS, rephraseRejection } from './login.ts'

export interface WhoamiOptions {
  host: GitLabHost
  json: boolean
}

export type WhoamiDeps = Pick<Deps, 'io' | 'env' | 'gitlab' | 'credentials' | 'now'>

/** `glt whoami --json`: one object of this shape, documented in the README ("Logging in"). */
export interface WhoamiReport {
  /** `gitlab.example.com` (with the port when not the default). */
  host: string
  url: string
  hostSource: GitLabHost['source']
  /** null when no personal access token is configured (a trigger or job token cannot say who). */
  user: { id: number; username: string; name: string } | null
  /** The personal access token used for API calls; name and scopes are null when GitLab does not say. */
  token: { source: PatSource; name: string | null; scopes: string[] | null; expiresAt: string | null } | null
  /** `CI_JOB_TOKEN` is set inside GitLab CI. */
  jobToken: boolean
  triggerTokens: { project: string; projectId: number | null; store: CredentialStore; token: string | null }[]
  /** `unused`: nothing needed it; `unavailable`: it failed, and what it holds is left out. */
  keychain: 'ok' | 'unavailable' | 'unused'
}

type PatSource = Exclude<ApiTokenSource, 'CI_JOB_TOKEN'>

export async function run(options: WhoamiOptions, deps: WhoamiDeps): Promise<void> {
  const { host } = options
  const keychain = keychainTracker()

  const pat = await findPat(host, deps, keychain)
  const jobToken = isGitLabCI(deps.env) && Boolean(deps.env.CI_JOB_TOKEN?.trim())
  const triggerEntries = (await deps.credentials.list(host)).filter((e): e is TriggerAccountEntry => e.kind === 'trigger')
  if (pat === undefined && !jobToken && triggerEntries.length === 0) throw await nothingConfigured(host, deps)

  if (pat !== undefined) checkPersonalAccessToken(pat.token, sourceText(pat.source), host)
  const { user, details } = pat === undefined ? { user: undefined, details: undefined } : await identify(host, pat, deps)

  const report: WhoamiReport = {
    host: host.name,
    url: host.baseUrl,
    hostSource: host.source,
    user: user ? { id: user.id, username: user.username, name: user.name } : null,
    token: pat
      ? { source: pat.source, name: details?.name ?? null, scopes: details?.scopes ?? null, expiresAt: details?.expires_at ?? null }
      : null,
    jobToken,
    triggerTokens: [],
    keychain: 'unused',
  }
  for (const entry of triggerEntries) {
    const stored = await keychain.read(entry.store, () => deps.credentials.findTriggerToken(host, projectKey(entry)))
    report.triggerTokens.push({
      project: entry.projectPaths[0] ?? String(entry.projectId),
      projectId: entry.projectId ?? null,
      store: entry.store,
      token: stored ? maskSecret(stored.token) : null,
    })
  }
  report.keychain = keychain.state()

  if (options.json) {
    deps.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  } else {
    writeReport(report, { pat, details, keychainError: keychain.error() }, deps)
  }
  const warning = pat && expiryWarning(details, deps.now(), host, pat.source === 'GITLAB_TOKEN' ? 'update GITLAB_TOKEN' : `run glt login --host ${hostArgument(host)}`)
  if (warning) deps.io.stderr.write(`${deps.io.err.yellow('!')} ${warning}\n`)
}

interface FoundPat {
  token: string
  source: PatSource
  /** GITLAB_TOKEN is set and a saved token exists too: the saved one is not used. */
  shadowed: CredentialStore | undefined
}

/** GITLAB_TOKEN, then the saved token; with GITLAB_TOKEN set the keychain is not needed at all. */
async function findPat(host: GitLabHost, deps: WhoamiDeps, keychain: KeychainTracker): Promise<FoundPat | undefined> {
  const saved = (await deps.credentials.list(host)).find((e): e is PatAccountEntry => e.kind === 'pat')
  const fromEnv = deps.env.GITLAB_TOKEN?.trim()
  if (fromEnv) return { token: fromEnv, source: 'GITLAB_TOKEN', shadowed: saved?.store }
  if (saved === undefined) return undefined
  // Without GITLAB_TOKEN the saved token is the report's subject: an unavailable keychain ends it.
  const stored = await keychain.read(saved.store, () => deps.credentials.findPat(host), { required: true })
  if (stored === undefined) return undefined
  return { token: stored.token, source: stored.store, shadowed: undefined }
}

async function identify(host: GitLabHost, pat: FoundPat, deps: WhoamiDeps): Promise<{ user: GitLabUser; details: PersonalAccessTokenInfo | undefined }> {
  const client = deps.gitlab(host, { timeoutMs: REQUEST_TIMEOUT_MS, secrets: [pat.token] })
  const credential = { token: pat.token, kind: 'pat' as const }
  const spinner = await startSpinner(deps.io, `Asking ${host.name} who owns the token`)
  try {
    const user = await getCurrentUser(client, credential)
    return { user, details: await getPersonalAccessTokenSelf(client, credential) }
  } catch (error) {
    throw rephraseRejection(error, `GitLab at ${host.name} rejected the personal access token from ${sourceText(pat.source)} (401 Unauthorized): it is invalid, expired or revoked`, {
      hint:
        pat.source === 'GITLAB_TOKEN'
          ? `Set GITLAB_TOKEN to a valid token (create one at ${personalAccessTokensUrl(host)}), or unset it to use the saved one.`
          : `Create a personal access token at ${personalAccessTokensUrl(host)}, then run glt login --host ${hostArgument(host)} again.`,
    })
  } finally {
    spinner.stop()
  }
}

async function nothingConfigured(host: GitLabHost, deps: WhoamiDeps): Promise<AuthError> {
  const elsewhere = [...new Set((await deps.credentials.list()).map((e) => e.host))]
  const hints = [apiTokenHint(host)]
  if (elsewhere.length > 0) hints.push(`glt has saved tokens for ${elsewhere.join(', ')}: pass --host or set GITLAB_HOST.`)
  if (deps.env.GLT_TRIGGER_TOKEN?.trim()) hints.push('GLT_TRIGGER_TOKEN is set: it can trigger pipelines, but cannot say who you are.')
  return new AuthError(`nothing configured for ${host.name}: no personal access token, CI job token or saved trigger token`, {
    hint: hints.join(' '),
    key: 'nothing-configured',
  })
}

interface WriteContext {
  pat: FoundPat | undefined
  details: PersonalAccessTokenInfo | undefined
  keychainError: KeychainUnavailableError | undefined
}

/** The same aligned lines in a terminal and a pipe; colour only in a terminal. */
function writeReport(report: WhoamiReport, context: WriteContext, deps: WhoamiDeps): void {
  const { out } = deps.io
  const { pat, details } = context
  const rows: [string, string][] = [['Host', `${report.host} ${out.dim(`(${report.hostSource === 'default' ? 'default' : `from ${report.hostSource}`})`)}`]]
  if (report.user && pat) {
    rows.push(['User', `${out.bold(report.user.username)} (${report.user.name})`])
    const shadowed = pat.shadowed ? ` ${out.dim(`(overrides the token saved in ${storeText(pat.shadowed)})`)}` : ''
    rows.push(['Token', `${sourceText(pat.source)}${shadowed}`])
    if (details) {
      rows.push(['Token name', details.name])
      rows.push(['Scopes', details.scopes.length > 0 ? details.scopes.join(', ') : 'none'])
      rows.push(['Expires', details.expires_at ?? 'never'])
    } else {
      rows.push(['Scopes', out.dim('unknown: this GitLab does not report them for this token')])
    }
  } else {
    rows.push(['User', out.dim('unknown: no personal access token (a trigger or job token cannot tell)')])
    rows.push(['Token', 'none'])
  }
  rows.push(['Job token', report.jobToken ? 'CI_JOB_TOKEN (GitLab CI)' : 'none'])
  if (report.triggerTokens.length === 0) rows.push(['Trigger tokens', 'none'])
  const projects = report.triggerTokens.map((t) => (t.projectId !== null && t.project !== String(t.projectId) ? `${t.project} (${t.projectId})` : t.project))
  const projectWidth = Math.max(0, ...projects.map((p) => p.length))
  report.triggerTokens.forEach((t, i) => {
    const secret = t.token ?? out.dim(report.keychain === 'unavailable' && t.store === 'keychain' ? 'keychain unavailable' : 'missing from its store')
    rows.push([i === 0 ? 'Trigger tokens' : '', `${(projects[i] ?? '').padEnd(projectWidth)}  ${t.store.padEnd(8)}  ${secret}`.trimEnd()])
  })
  if (context.keychainError) rows.push(['Keychain', `${out.yellow('unavailable')}: ${context.keychainError.message}`])

  const width = Math.max(...rows.map(([label]) => label.length))
  for (const [label, value] of rows) deps.io.stdout.write(`${label.padEnd(width)}  ${value}\n`.replace(/ +\n$/, '\n'))
}

function sourceText(source: PatSource): string {
  return source === 'GITLAB_TOKEN' ? 'GITLAB_TOKEN' : `the token saved in ${storeText(source)}`
}

function storeText(store: CredentialStore): string {
  return store === 'file' ? 'the credentials file' : 'the OS keychain'
}

/** The name findTriggerToken looks an entry up by. */
function projectKey(entry: TriggerAccountEntry): string {
  return entry.projectId !== undefined ? String(entry.projectId) : (entry.projectPaths[0] ?? '')
}

interface KeychainTracker {
  /**
   * A lookup that may need the keychain. Once the keychain has failed, later keychain lookups are
   * skipped (each could take seconds) and give undefined; `required` lookups throw instead.
   */
  read<T>(store: CredentialStore, lookup: () => Promise<T | undefined>, options?: { required?: boolean }): Promise<T | undefined>
  state(): WhoamiReport['keychain']
  error(): KeychainUnavailableError | undefined
}

function keychainTracker(): KeychainTracker {
  let used = false
  let failure: KeychainUnavailableError | undefined
  return {
    async read(store, lookup, options = {}) {
      if (store === 'keychain') {
        if (failure && !options.required) return undefined
        used = true
      }
      try {
        return await lookup()
      } catch (error) {
        if (options.required || !(error instanceof KeychainUnavailableError)) throw error
        failure = error
        return undefined
      }
    },
    state: () => (failure ? 'unavailable' : used ? 'ok' : 'unused'),
    error: () => failure,
  }
}

export function register(program: Command, context: CommandContext, runFn = run): void {
  program
    .command('whoami')
    .description('Show the GitLab host, user and tokens glt would use')
    .option('--json', 'print one JSON object (shape in the README, "Logging in")')
    .addOption(new Option('--host <url>', 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'))
    .addHelpText(
      'after',
      `
Exits 3 when nothing is configured for the host, or when GitLab rejects the
personal access token.

Examples:
  $ glt whoami
  $ glt whoami --host gitlab.example.com --json`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const deps = context.deps()
      await runFn({ host: context.host(flags.host as string | undefined), json: flags.json === true }, deps)
    })
}
