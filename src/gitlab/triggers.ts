import { ApiError, AuthError, type GltError } from '../errors.ts'
import type { ApiCredential, ApiResponse, GitLabClient, RequestOptions } from './client.ts'
import { encodeProjectId, normalizeProject } from './encode.ts'
import { errorMessage, explainApiFailure } from './errors.ts'

/** A pipeline trigger token as GitLab's triggers API returns it; other fields pass through `--json` unchanged. */
export interface TriggerToken {
  id: number
  /**
   * In full for tokens the authenticated user created; cut to the first 4 characters for tokens
   * of other members.
   */
  token: string
  description: string | null
  created_at: string
  updated_at?: string
  last_used: string | null
  /** GitLab 16.11+; null or absent: never expires. */
  expires_at?: string | null
  owner: { id: number; username: string; name: string; [field: string]: unknown } | null
  [field: string]: unknown
}

/** The fields of `GET /projects/:id` glt reads. */
export interface ProjectInfo {
  id: number
  path_with_namespace: string
  [field: string]: unknown
}

export interface NewTriggerToken {
  description: string
  /** `YYYY-MM-DD`. */
  expiresAt?: string | undefined
}

/** How many characters GitLab shows of a token the user did not create. */
export const TRUNCATED_TOKEN_LENGTH = 4

/** GitLab showed only the start of this token: it belongs to another member. */
export function isTruncatedToken(token: string): boolean {
  return token.length <= TRUNCATED_TOKEN_LENGTH
}

/**
 * `GET /projects/:id/triggers`, every page. Pages are followed by `x-next-page`, else by the
 * `Link` header's `rel="next"`; `x-total` is not relied on (GitLab omits it for large sets).
 */
export async function listTriggerTokens(client: GitLabClient, credential: ApiCredential, project: string): Promise<TriggerToken[]> {
  const what = `listing the trigger tokens of ${normalizeProject(project)}`
  const tokens: TriggerToken[] = []
  let next: Pick<RequestOptions, 'path' | 'query'> | undefined = {
    path: `/projects/${encodeProjectId(project)}/triggers`,
    query: { per_page: '100', page: '1' },
  }
  const seen = new Set<string>()
  while (next !== undefined) {
    // A server whose "next" points back at a page already read must not make glt loop forever.
    const key = `${next.path}?${new URLSearchParams(next.query).toString()}`
    if (seen.has(key)) break
    seen.add(key)
    const response = await client.get({ ...next, auth: credential })
    if (response.status !== 200 || !response.isJson) throw explainTriggerApiFailure(response, client, project, { what })
    const { data } = response
    if (!Array.isArray(data) || !data.every(isTriggerToken)) throw notGitLab(response, client, 'a list of trigger tokens')
    tokens.push(...data)
    next = nextPage(response, next, client)
  }
  return tokens
}

/** `GET /projects/:id/triggers/:trigger_id`; a 404 for the trigger says so by its ID. */
export async function getTriggerToken(client: GitLabClient, credential: ApiCredential, project: string, id: number): Promise<TriggerToken> {
  const response = await client.get({ path: triggerPath(project, id), auth: credential })
  if (response.status === 200 && response.isJson) {
    if (!isTriggerToken(response.data)) throw notGitLab(response, client, 'a trigger token')
    return response.data
  }
  throw explainTriggerApiFailure(response, client, project, { what: `reading trigger token ${id} in ${normalizeProject(project)}`, id })
}

/** `POST /projects/:id/triggers` → the new trigger, its token in full. Needs the Maintainer role. */
export async function createTriggerToken(
  client: GitLabClient,
  credential: ApiCredential,
  project: string,
  trigger: NewTriggerToken,
): Promise<TriggerToken> {
  const form = new URLSearchParams({ description: trigger.description })
  if (trigger.expiresAt !== undefined) form.set('expires_at', trigger.expiresAt)
  const response = await client.request({
    method: 'POST',
    path: `/projects/${encodeProjectId(project)}/triggers`,
    auth: credential,
    body: { contentType: 'application/x-www-form-urlencoded', text: form.toString() },
  })
  if (response.status === 201 && response.isJson) {
    if (!isTriggerToken(response.data)) throw notGitLab(response, client, 'a trigger token')
    return response.data
  }
  throw explainTriggerApiFailure(response, client, project, { what: `creating a trigger token in ${normalizeProject(project)}` })
}

/** `DELETE /projects/:id/triggers/:trigger_id` → 204. A revoked token cannot be restored. */
export async function revokeTriggerToken(client: GitLabClient, credential: ApiCredential, project: string, id: number): Promise<void> {
  const response = await client.request({ method: 'DELETE', path: triggerPath(project, id), auth: credential })
  if (response.status === 204 || response.status === 200) return
  throw explainTriggerApiFailure(response, client, project, { what: `revoking trigger token ${id} in ${normalizeProject(project)}`, id })
}

/** `GET /projects/:id`: the project's ID and full path, so a token can be saved under both. */
export async function getProject(client: GitLabClient, credential: ApiCredential, project: string): Promise<ProjectInfo> {
  const { data, response } = await client.json<unknown>(
    { method: 'GET', path: `/projects/${encodeProjectId(project)}`, auth: credential },
    `looking up the project ${normalizeProject(project)}`,
  )
  if (!isProject(data)) throw notGitLab(response, client, 'a project')
  return data
}

function triggerPath(project: string, id: number): string {
  return `/projects/${encodeProjectId(project)}/triggers/${id}`
}

/**
 * The generic explanations, with two made precise for trigger tokens: a 404 that is about the
 * trigger (GitLab says `404 Trigger Not Found`, or a bare `404 Not Found`, not `404 Project Not
 * Found`) names the trigger, and a 403 names the role the action needs.
 */
function explainTriggerApiFailure(
  response: ApiResponse,
  client: GitLabClient,
  project: string,
  context: { what: string; id?: number },
): GltError {
  const name = normalizeProject(project)
  const message = errorMessage(response.data)
  if (response.status === 404 && response.isJson && context.id !== undefined && !/project/i.test(message)) {
    return new ApiError(`no trigger token ${context.id} in ${name}`, 404, {
      hint: `It may have been revoked already; see the project's trigger tokens with: glt tokens list -p ${name}`,
      key: 'trigger-token-not-found',
    })
  }
  if (response.status === 403 && response.isJson && !/insufficient_scope/.test(response.text)) {
    return new AuthError(`GitLab refused ${context.what} (403 Forbidden)`, { hint: roleHint(project), key: 'forbidden' })
  }
  return explainApiFailure(response, { host: client.host, what: context.what })
}

function roleHint(project: string): string {
  return `Managing trigger tokens needs the Maintainer or Owner role in ${normalizeProject(project)}; ask a Maintainer to do it, or to raise your role.`
}

/** The next page's request: `x-next-page` (empty on the last page), else `Link: <…>; rel="next"` on the same API. */
function nextPage(
  response: ApiResponse,
  current: Pick<RequestOptions, 'path' | 'query'>,
  client: GitLabClient,
): Pick<RequestOptions, 'path' | 'query'> | undefined {
  const header = response.headers.get('x-next-page')?.trim()
  if (header) return /^\d+$/.test(header) ? { path: current.path, query: { ...current.query, page: header } } : undefined
  const link = response.headers.get('link')
  const target = link === null ? undefined : /<([^>]+)>\s*;[^,]*\brel="?next"?/i.exec(link)?.[1]
  if (target === undefined) return undefined
  // Only a link into this instance's API is followed: the request carries the token.
  const apiRoot = `${client.host.baseUrl}/api/v4/`
  if (!target.startsWith(apiRoot)) return undefined
  const url = new URL(target)
  return { path: url.pathname.slice(new URL(apiRoot).pathname.length - 1), query: Object.fromEntries(url.searchParams) }
}

function notGitLab(response: ApiResponse, client: GitLabClient, expected: string): ApiError {
  return new ApiError(`${client.host.name} answered with JSON that is not ${expected}`, response.status, {
    hint: `Is --host right? ${client.host.baseUrl} should be the GitLab instance itself.`,
    key: 'not-json',
  })
}

function isTriggerToken(data: unknown): data is TriggerToken {
  if (data === null || typeof data !== 'object') return false
  const { id, token } = data as Record<string, unknown>
  return typeof id === 'number' && typeof token === 'string'
}

function isProject(data: unknown): data is ProjectInfo {
  if (data === null || typeof data !== 'object') return false
  const { id, path_with_namespace: path } = data as Record<string, unknown>
  return typeof id === 'number' && typeof path === 'string'
}
