import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { resolveHost } from '../../src/config/host.ts'
import { ApiError, AuthError } from '../../src/errors.ts'
import { createGitLabClient } from '../../src/gitlab/client.ts'
import { getCurrentUser, getPersonalAccessTokenSelf, personalAccessTokensUrl, timeUntilExpiry } from '../../src/gitlab/users.ts'
import { API, TEST_HOST, setupMsw, useGitLab } from '../helpers/msw.ts'

setupMsw()

const host = resolveHost(TEST_HOST, {})
// GETs are retried after 5xx: no real waiting between the attempts.
const client = createGitLabClient({ host, fetch: (url, init) => globalThis.fetch(url, init) as never, timeoutMs: 5000, userAgent: 'glt-test', sleep: async () => {} })
const PAT = { token: 'glpat-0123456789abcdefghij', kind: 'pat' as const }

function answer(path: string, status: number, body: unknown) {
  const seen: { token?: string | null } = {}
  useGitLab(
    http.get(`${API}${path}`, ({ request }) => {
      seen.token = request.headers.get('private-token')
      return HttpResponse.json(body as Record<string, unknown>, { status })
    }),
  )
  return seen
}

describe('getCurrentUser', () => {
  it('sends the token as PRIVATE-TOKEN and returns the user', async () => {
    const seen = answer('/user', 200, { id: 7, username: 'jdoe', name: 'Jane Doe', state: 'active' })
    await expect(getCurrentUser(client, PAT)).resolves.toMatchObject({ id: 7, username: 'jdoe', name: 'Jane Doe' })
    expect(seen.token).toBe(PAT.token)
  })

  it('turns 401 into an AuthError saying the token is invalid, expired or revoked', async () => {
    answer('/user', 401, { message: '401 Unauthorized' })
    const error = await getCurrentUser(client, PAT).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({
      key: 'token-rejected',
      message: 'GitLab rejected the token (401 Unauthorized): it is invalid, expired or revoked',
      hint: `Create a personal access token with the api scope at ${TEST_HOST}/-/user_settings/personal_access_tokens.`,
    })
  })

  it('explains a scope too small, and a refused account, as AuthErrors', async () => {
    answer('/user', 403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges.' })
    await expect(getCurrentUser(client, PAT)).rejects.toMatchObject({ name: 'AuthError', key: 'insufficient-scope' })
    answer('/user', 403, { message: '403 Forbidden - Your account has been blocked.' })
    await expect(getCurrentUser(client, PAT)).rejects.toMatchObject({
      name: 'AuthError',
      key: 'user-forbidden',
      message: 'GitLab refused to say who owns the token (403 Forbidden): 403 Forbidden - Your account has been blocked.',
    })
  })

  it('refuses JSON that is not a user', async () => {
    answer('/user', 200, { hello: 'world' })
    await expect(getCurrentUser(client, PAT)).rejects.toBeInstanceOf(ApiError)
  })
})

describe('getPersonalAccessTokenSelf', () => {
  it('returns the name, scopes and expiry', async () => {
    const seen = answer('/personal_access_tokens/self', 200, { id: 3, name: 'laptop', scopes: ['api'], expires_at: '2030-01-31', active: true })
    await expect(getPersonalAccessTokenSelf(client, PAT)).resolves.toMatchObject({ name: 'laptop', scopes: ['api'], expires_at: '2030-01-31' })
    expect(seen.token).toBe(PAT.token)
  })

  it('gives a missing expires_at as null (never expires)', async () => {
    answer('/personal_access_tokens/self', 200, { id: 3, name: 'old', scopes: ['api'] })
    await expect(getPersonalAccessTokenSelf(client, PAT)).resolves.toMatchObject({ expires_at: null })
  })

  it.each([404, 403])('gives undefined on %i: an old GitLab, or not a personal access token', async (status) => {
    answer('/personal_access_tokens/self', status, { message: `${status}` })
    await expect(getPersonalAccessTokenSelf(client, PAT)).resolves.toBeUndefined()
  })

  it('still fails on 401 and on server errors', async () => {
    answer('/personal_access_tokens/self', 401, { message: '401 Unauthorized' })
    await expect(getPersonalAccessTokenSelf(client, PAT)).rejects.toMatchObject({ key: 'token-rejected' })
    answer('/personal_access_tokens/self', 502, { message: 'bad gateway' })
    await expect(getPersonalAccessTokenSelf(client, PAT)).rejects.toMatchObject({ name: 'ApiError', key: 'server-error' })
  })
})

describe('timeUntilExpiry', () => {
  const now = new Date('2030-01-01T12:00:00Z')
  it.each([
    ['2030-01-02', 12 * 3600_000],
    ['2030-01-08', 6.5 * 24 * 3600_000],
    ['2030-01-01', -12 * 3600_000],
    [null, undefined],
    ['not a date', undefined],
  ])('%s → %s ms (a token expires at 00:00 UTC on its date)', (expiresAt, expected) => {
    expect(timeUntilExpiry(expiresAt, now)).toBe(expected)
  })
})

describe('personalAccessTokensUrl', () => {
  it('can pre-fill a name and the api scope', () => {
    expect(personalAccessTokensUrl(host)).toBe(`${TEST_HOST}/-/user_settings/personal_access_tokens`)
    expect(personalAccessTokensUrl(host, true)).toBe(`${TEST_HOST}/-/user_settings/personal_access_tokens?name=glt&scopes=api`)
  })
})
