import type { GitLabHost } from '../config/host.ts'
import { ApiError, AuthError } from '../errors.ts'
import type { ApiCredential, ApiResponse, GitLabClient } from './client.ts'
import { errorMessage, explainApiFailure } from './errors.ts'

/** The fields of `GET /user` glt reads; the rest is ignored. */
export interface GitLabUser {
  id: number
  username: string
  name: string
  [field: string]: unknown
}

/** `GET /personal_access_tokens/self`: the token that made the request. */
export interface PersonalAccessTokenInfo {
  id: number
  name: string
  scopes: string[]
  /** `YYYY-MM-DD`; null for a token that never expires (possible before GitLab 16.0). */
  expires_at: string | null
  [field: string]: unknown
}

/** Where a user creates a personal access token; `prefill` fills in a name and the api scope (GitLab 15.5+). */
export function personalAccessTokensUrl(host: GitLabHost, prefill = false): string {
  return `${host.baseUrl}/-/user_settings/personal_access_tokens${prefill ? '?name=glt&scopes=api' : ''}`
}

/**
 * Milliseconds until the token stops working; undefined for a token that never expires. GitLab
 * expires a token at 00:00 UTC on its `expires_at` date.
 */
export function timeUntilExpiry(expiresAt: string | null, now: Date): number | undefined {
  if (expiresAt === null) return undefined
  const end = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(expiresAt) ? `${expiresAt}T00:00:00Z` : expiresAt)
  return Number.isNaN(end) ? undefined : end - now.getTime()
}

/**
 * `GET /user`. A 401 becomes an AuthError with key `token-rejected`, which callers may rephrase
 * for where the token came from (`glt login`, `GITLAB_TOKEN`, the keychain).
 */
export async function getCurrentUser(client: GitLabClient, credential: ApiCredential): Promise<GitLabUser> {
  const response = await client.get({ path: '/user', auth: credential })
  if (response.status === 401) throw tokenRejected(client.host)
  if (response.status === 403 && response.isJson && !/insufficient_scope/.test(response.text)) {
    // The generic 403 hint is about project roles; here it is the account itself.
    const message = errorMessage(response.data)
    throw new AuthError(`GitLab refused to say who owns the token (403 Forbidden)${message && message !== '403 Forbidden' ? `: ${message}` : ''}`, {
      hint: `The account may be blocked or deactivated; check it at ${client.host.baseUrl}.`,
      key: 'user-forbidden',
    })
  }
  if (response.status !== 200 || !response.isJson) throw explainApiFailure(response, { host: client.host, what: 'reading the current user' })
  if (!isUser(response.data)) throw unexpectedAnswer(response, client.host, '/user')
  return response.data
}

/**
 * `GET /personal_access_tokens/self`: the token's name, scopes and expiry. Undefined when GitLab
 * cannot say: the endpoint is missing before GitLab 15.5 (404), answers 404 for tokens that are
 * not personal access tokens (OAuth), and 403 where the token's scopes do not cover it. These
 * details are informative only, so their absence is never a failure.
 */
export async function getPersonalAccessTokenSelf(
  client: GitLabClient,
  credential: ApiCredential,
): Promise<PersonalAccessTokenInfo | undefined> {
  const response = await client.get({ path: '/personal_access_tokens/self', auth: credential })
  if (response.status === 401) throw tokenRejected(client.host)
  if (response.status === 403 || response.status === 404) return undefined
  if (response.status !== 200 || !response.isJson) {
    throw explainApiFailure(response, { host: client.host, what: 'reading the token’s details' })
  }
  if (!isTokenInfo(response.data)) throw unexpectedAnswer(response, client.host, '/personal_access_tokens/self')
  return { ...response.data, expires_at: response.data.expires_at ?? null }
}

function tokenRejected(host: GitLabHost): AuthError {
  return new AuthError('GitLab rejected the token (401 Unauthorized): it is invalid, expired or revoked', {
    hint: `Create a personal access token with the api scope at ${personalAccessTokensUrl(host)}.`,
    key: 'token-rejected',
  })
}

function unexpectedAnswer(response: ApiResponse, host: GitLabHost, path: string): ApiError {
  return new ApiError(`${host.name} answered GET ${path} with JSON that is not GitLab's`, response.status, {
    hint: `Is --host right? ${host.baseUrl} should be the GitLab instance itself.`,
    key: 'not-json',
  })
}

function isUser(data: unknown): data is GitLabUser {
  if (data === null || typeof data !== 'object') return false
  const { id, username, name } = data as Record<string, unknown>
  return typeof id === 'number' && typeof username === 'string' && typeof name === 'string'
}

function isTokenInfo(data: unknown): data is PersonalAccessTokenInfo {
  if (data === null || typeof data !== 'object') return false
  const { name, scopes, expires_at: expiresAt } = data as Record<string, unknown>
  return (
    typeof name === 'string' &&
    Array.isArray(scopes) &&
    scopes.every((scope) => typeof scope === 'string') &&
    (expiresAt === null || expiresAt === undefined || typeof expiresAt === 'string')
  )
}
