import { http, HttpResponse } from 'msw'
import { createAccountIndex } from '../../../src/auth/account-index.ts'
import { resolveHost } from '../../../src/config/host.ts'
import type { TriggerToken } from '../../../src/gitlab/triggers.ts'
import { API, TEST_HOST } from '../../helpers/msw.ts'

// What the glt tokens tests share: a project on https://gitlab.test, a user with a personal
// access token, and msw handlers for the triggers API that record what glt sent.

export const PAT = 'glpat-0123456789abcdefghij'
export const ENV = { GITLAB_HOST: TEST_HOST, GITLAB_TOKEN: PAT }
export const PROJECT = { id: 42, path: 'acme/app', encoded: 'acme%2Fapp' } as const
export const HOST = resolveHost(TEST_HOST, {})

/** Tokens of triggers the user created: GitLab shows these in full. */
export const MINE = 'glptt-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1111'
export const MINE_2 = 'glptt-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2222'
export const NEW_TOKEN = 'glptt-cccccccccccccccccccccccccccccccccccc3333'
/** Another member's token in full: GitLab shows the user only `glpt`. */
export const THEIRS = 'glptt-dddddddddddddddddddddddddddddddddddd4444'

const ME = { id: 7, username: 'jdoe', name: 'Jane Doe' }
const OTHER = { id: 8, username: 'rsmith', name: 'Rita Smith' }

/** A trigger as GitLab returns it; `theirs` makes it another member's, its token cut to 4 characters. */
export function trigger(id: number, fields: Partial<TriggerToken> & { theirs?: boolean } = {}): TriggerToken {
  const { theirs, ...rest } = fields
  return {
    id,
    token: theirs ? 'glpt' : MINE,
    description: `token ${id}`,
    created_at: '2026-01-10T09:00:00.000Z',
    updated_at: '2026-01-10T09:00:00.000Z',
    last_used: null,
    expires_at: null,
    owner: theirs ? OTHER : ME,
    ...rest,
  }
}

/** The triggers API of PROJECT: each method makes a handler; `requests` lists what glt sent, in order. */
export function triggersApi(project: string = PROJECT.encoded) {
  const base = `${API}/projects/${project}`
  const requests: string[] = []
  const tokens: (string | null)[] = []
  const record = async (request: Request) => {
    const url = new URL(request.url)
    const body = request.method === 'POST' ? ` ${await request.text()}` : ''
    requests.push(`${request.method} ${url.pathname.replace('/api/v4', '')}${url.search}${body}`)
    tokens.push(request.headers.get('private-token'))
  }
  const error = (status: number, body: Record<string, unknown>) => HttpResponse.json(body, { status })
  return {
    requests,
    /** The PRIVATE-TOKEN of each request. */
    tokens,
    list: (triggers: TriggerToken[]) =>
      http.get(`${base}/triggers`, async ({ request }) => {
        await record(request)
        return HttpResponse.json(triggers, { headers: { 'x-next-page': '' } })
      }),
    get: (found: TriggerToken) =>
      http.get(`${base}/triggers/${found.id}`, async ({ request }) => {
        await record(request)
        return HttpResponse.json(found)
      }),
    create: (created: TriggerToken) =>
      http.post(`${base}/triggers`, async ({ request }) => {
        await record(request)
        return HttpResponse.json(created, { status: 201 })
      }),
    revoke: (id: number) =>
      http.delete(`${base}/triggers/${id}`, async ({ request }) => {
        await record(request)
        return new HttpResponse(null, { status: 204 })
      }),
    project: () =>
      http.get(base, async ({ request }) => {
        await record(request)
        return HttpResponse.json({ id: PROJECT.id, path_with_namespace: PROJECT.path, name: 'app' })
      }),
    /** Any call answered with an error: `method` is get, post or delete; `path` below the project. */
    fail: (method: 'get' | 'post' | 'delete', suffix: string, status: number, body: Record<string, unknown>) =>
      http[method](`${base}${suffix}`, async ({ request }) => {
        await record(request)
        return error(status, body)
      }),
  }
}

export const FORBIDDEN = { message: '403 Forbidden' }
export const UNAUTHORIZED = { message: '401 Unauthorized' }

export { machine } from '../../helpers/machine.ts'

/** The index says a token for PROJECT is in the keychain, as if glt had saved it there; the keychain itself holds nothing. */
export async function recordSavedInKeychain(configDir: string): Promise<void> {
  await createAccountIndex({ configDir }).record({
    kind: 'trigger',
    account: 'trigger@gitlab.test/42',
    host: 'gitlab.test',
    store: 'keychain',
    savedAt: '2026-02-01T00:00:00.000Z',
    projectId: PROJECT.id,
    projectPaths: [PROJECT.path],
  })
}
