import { join } from 'node:path'
import { InvalidArgumentError, Option } from 'commander'
import { requireApiToken, type ResolvedApiToken } from '../../auth/api-token.ts'
import type { CredentialStore, StoredSecret } from '../../auth/credentials.ts'
import type { TriggerAccountEntry } from '../../auth/account-index.ts'
import type { GitLabHost } from '../../config/host.ts'
import type { Deps } from '../../deps.ts'
import { ApiError, GltError, KeychainUnavailableError, type GltErrorOptions } from '../../errors.ts'
import type { GitLabClient } from '../../gitlab/client.ts'
import { isNumericProjectId } from '../../gitlab/encode.ts'
import { getProject, isTruncatedToken, listTriggerTokens, type TriggerToken } from '../../gitlab/triggers.ts'
import type { ProjectNames } from '../../auth/credentials.ts'
import { checkPersonalAccessToken } from '../login.ts'
import { askProject, findProject } from '../project-option.ts'

/** Per request: the trigger-token calls are small. */
export const REQUEST_TIMEOUT_MS = 30_000

export const hostOption = () => new Option('--host <url>', 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)')
export const PROJECT_FLAGS = '-p, --project <id|path>'
export const PROJECT_DESCRIPTION = 'project ID or full path (default: from the origin remote)'

export type ApiDeps = Pick<Deps, 'io' | 'env' | 'cwd' | 'prompter' | 'gitlab' | 'readGitContext' | 'credentials'>

export interface ApiSession {
  project: string
  credential: ResolvedApiToken
  client: GitLabClient
}

/**
 * The project and a personal access token (GITLAB_TOKEN, then the saved one; never a job token:
 * the triggers API does not take one). Checks needing no answer come first, so a missing
 * --project in a pipe is exit 2, and a missing token is found before anyone is asked anything.
 */
export async function openApiSession(options: { host: GitLabHost; project?: string | undefined }, deps: ApiDeps): Promise<ApiSession> {
  const known = await findProject(options.project, options.host, deps)
  const credential = await requireApiToken(options.host, deps.env, deps.credentials)
  checkPersonalAccessToken(credential.token, credential.source === 'GITLAB_TOKEN' ? 'GITLAB_TOKEN' : 'the saved token', options.host)
  const project = known ?? (await askProject(options.host, deps))
  const client = deps.gitlab(options.host, { timeoutMs: REQUEST_TIMEOUT_MS, secrets: [credential.token] })
  return { project, credential, client }
}

/** `glt tokens revoke 7`: a trigger's ID is a positive integer. */
export function parseTriggerId(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError('a trigger token ID is a positive number (see glt tokens list)')
  }
  return Number(text)
}

/** Whether the token glt saved for a project is a given trigger token: `exact`, `maybe`, or not (undefined). */
export type SavedMatch = 'exact' | 'maybe' | undefined

/**
 * Whether the saved token is the listed `token`. GitLab shows the tokens of other members cut to
 * their first 4 characters (`glpt` for every modern token), so such a token is only `maybe` the
 * saved one; but a saved token that `listed` (the project's tokens, as GitLab listed them) shows
 * in full is that one and no other.
 */
export function savedMatch(token: string, stored: StoredSecret<TriggerAccountEntry> | undefined, listed: readonly string[] = []): SavedMatch {
  if (stored === undefined) return undefined
  if (stored.token === token) return 'exact'
  if (!isTruncatedToken(token) || token === '' || !stored.token.startsWith(token)) return undefined
  return listed.includes(stored.token) ? undefined : 'maybe'
}

/**
 * savedMatch for one trigger read by its ID: when that alone cannot tell, the project's list can
 * show the saved token in full elsewhere (one the user created), which rules this one out.
 */
export async function identifySaved(session: ApiSession, trigger: TriggerToken, stored: StoredSecret<TriggerAccountEntry> | undefined): Promise<SavedMatch> {
  const match = savedMatch(trigger.token, stored)
  if (match !== 'maybe') return match
  const listed = await listTriggerTokens(session.client, session.credential, session.project)
  return savedMatch(trigger.token, stored, listed.map((t) => t.token))
}

/** The names a token is saved under: the one given, plus the ID and path GitLab reports when it can be asked. */
export function projectNames(project: string, info?: { id: number; path_with_namespace: string }): ProjectNames {
  const given: ProjectNames = isNumericProjectId(project) ? { id: Number(project), paths: [] } : { paths: [project] }
  if (info === undefined) return given
  return { id: info.id, paths: [...given.paths, info.path_with_namespace] }
}

/** `GET /projects/:id` for the token's names; failing that, the name given (trigger learns the other later). */
export async function lookUpProjectNames(session: ApiSession): Promise<ProjectNames> {
  return projectNames(session.project, await getProject(session.client, session.credential, session.project))
}

export function storeName(store: CredentialStore, configDir: string): string {
  return store === 'file' ? join(configDir, 'credentials.json') : 'the OS keychain'
}

export function warnInsecureStorage(deps: Pick<Deps, 'io' | 'configDir'>): void {
  const { io } = deps
  io.stderr.write(
    `${io.err.yellow('!')} --insecure-storage: saving the token in plain text in ${join(deps.configDir, 'credentials.json')}, readable by any program running as you.\n`,
  )
}

/**
 * The same failure, its message prefixed with what had already happened and its hint with how to
 * finish: after a partial change the user must know the state things are in.
 */
export function withState(error: unknown, state: string, todo: string): unknown {
  if (!(error instanceof GltError)) return error
  const options: GltErrorOptions = { hint: [todo, error.hint].filter(Boolean).join(' '), key: error.key, cause: error }
  const message = `${state}: ${error.message}`
  if (error instanceof ApiError) return new ApiError(message, error.status, options)
  if (error instanceof KeychainUnavailableError) return new KeychainUnavailableError(message, options)
  const Kind = error.constructor as new (message: string, options: GltErrorOptions) => GltError
  return new Kind(message, options)
}

/** `trigger token 7 ("deploy")`. */
export function describeTrigger(trigger: { id: number; description: string | null }): string {
  return `trigger token ${trigger.id}${trigger.description ? ` ("${trigger.description}")` : ''}`
}
