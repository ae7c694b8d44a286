import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { resolveHost } from '../../src/config/host.ts'
import { ApiError, AuthError } from '../../src/errors.ts'
import { createGitLabClient } from '../../src/gitlab/client.ts'
import {
  createTriggerToken,
  getTriggerToken,
  isTruncatedToken,
  listTriggerTokens,
  revokeTriggerToken,
} from '../../src/gitlab/triggers.ts'
import { API, TEST_HOST, setupMsw, useGitLab } from '../helpers/msw.ts'

setupMsw()

const host = resolveHost(TEST_HOST, {})
const PAT = { token: 'glpat-0123456789abcdefghij', kind: 'pat' as const }
const MINE = 'glptt-0123456789abcdef0123456789abcdef0123'
const TRIGGERS = `${API}/projects/acme%2Fapp/triggers`

function newClient(debug?: (line: string) => void) {
  return createGitLabClient({ host, fetch: (url, init) => globalThis.fetch(url, init) as never, timeoutMs: 5000, userAgent: 'glt-test', debug })
}

function trigger(id: number, token = 'glpt') {
  return { id, token, description: `token ${id}`, created_at: '2026-01-01T00:00:00.000Z', last_used: null, expires_at: null, owner: null }
}

describe('listTriggerTokens', () => {
  it('follows x-next-page until it is empty, asking for 100 a page', async () => {
    const asked: string[] = []
    useGitLab(
      http.get(TRIGGERS, ({ request }) => {
        const url = new URL(request.url)
        asked.push(url.search)
        const page = Number(url.searchParams.get('page'))
        return HttpResponse.json([trigger(page)], { headers: { 'x-next-page': page < 3 ? String(page + 1) : '' } })
      }),
    )
    const tokens = await listTriggerTokens(newClient(), PAT, 'acme/app')
    expect(tokens.map((t) => t.id)).toEqual([1, 2, 3])
    expect(asked).toEqual(['?per_page=100&page=1', '?per_page=100&page=2', '?per_page=100&page=3'])
  })

  it('follows the Link header when x-next-page is absent, and sends the token with each page', async () => {
    const seen: (string | null)[] = []
    useGitLab(
      http.get(TRIGGERS, ({ request }) => {
        seen.push(request.headers.get('private-token'))
        const cursor = new URL(request.url).searchParams.get('cursor')
        if (cursor === 'b') return HttpResponse.json([trigger(2)], { headers: { link: `<${TRIGGERS}?cursor=a>; rel="first"` } })
        return HttpResponse.json([trigger(1)], { headers: { link: `<${TRIGGERS}?cursor=a>; rel="first", <${TRIGGERS}?cursor=b&per_page=100>; rel="next"` } })
      }),
    )
    const tokens = await listTriggerTokens(newClient(), PAT, 'acme/app')
    expect(tokens.map((t) => t.id)).toEqual([1, 2])
    expect(seen).toEqual([PAT.token, PAT.token])
  })

  it('never follows a Link to another host: the request would carry the token there', async () => {
    useGitLab(
      http.get(TRIGGERS, () => HttpResponse.json([trigger(1)], { headers: { link: '<https://evil.test/api/v4/projects/acme%2Fapp/triggers?page=2>; rel="next"' } })),
    )
    const tokens = await listTriggerTokens(newClient(), PAT, 'acme/app')
    expect(tokens.map((t) => t.id)).toEqual([1])
  })

  it('stops when the next page points back at a page already read', async () => {
    let calls = 0
    useGitLab(
      http.get(TRIGGERS, ({ request }) => {
        calls++
        const page = new URL(request.url).searchParams.get('page')
        return HttpResponse.json([trigger(Number(page))], { headers: { 'x-next-page': page === '1' ? '2' : '1' } })
      }),
    )
    const tokens = await listTriggerTokens(newClient(), PAT, 'acme/app')
    expect(tokens.map((t) => t.id)).toEqual([1, 2])
    expect(calls).toBe(2)
  })

  it('--debug traces the answers with every token field redacted', async () => {
    useGitLab(http.get(TRIGGERS, () => HttpResponse.json([trigger(1, MINE), trigger(2)])))
    const lines: string[] = []
    const tokens = await listTriggerTokens(newClient((line) => lines.push(line)), PAT, 'acme/app')
    expect(tokens.map((t) => t.token)).toEqual([MINE, 'glpt'])
    const trace = lines.join('\n')
    expect(trace).toContain('"token":"[REDACTED]"')
    expect(trace).not.toContain(MINE)
    expect(trace).not.toContain(PAT.token)
  })

  it('a 403 says the Maintainer role is needed, in this project', async () => {
    useGitLab(http.get(TRIGGERS, () => HttpResponse.json({ message: '403 Forbidden' }, { status: 403 })))
    const error = await listTriggerTokens(newClient(), PAT, 'acme/app').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({
      key: 'forbidden',
      message: 'GitLab refused listing the trigger tokens of acme/app (403 Forbidden)',
      hint: 'Managing trigger tokens needs the Maintainer or Owner role in acme/app; ask a Maintainer to do it, or to raise your role.',
    })
  })

  it('refuses JSON that is not a list of trigger tokens', async () => {
    useGitLab(http.get(TRIGGERS, () => HttpResponse.json({ id: 1 })))
    await expect(listTriggerTokens(newClient(), PAT, 'acme/app')).rejects.toMatchObject({ name: 'ApiError', key: 'not-json' })
  })
})

describe('createTriggerToken', () => {
  it('posts the description and expiry as a form and returns the new token in full', async () => {
    const bodies: string[] = []
    useGitLab(
      http.post(TRIGGERS, async ({ request }) => {
        bodies.push(await request.text())
        return HttpResponse.json(trigger(9, MINE), { status: 201 })
      }),
    )
    const created = await createTriggerToken(newClient(), PAT, 'acme/app', { description: 'deploy & test', expiresAt: '2026-12-31' })
    expect(created).toMatchObject({ id: 9, token: MINE })
    expect(bodies).toEqual(['description=deploy+%26+test&expires_at=2026-12-31'])
  })

  it('a 403 Forbidden names the Maintainer role; a 403 insufficient_scope names the api scope', async () => {
    useGitLab(http.post(TRIGGERS, () => HttpResponse.json({ message: '403 Forbidden' }, { status: 403 }), { once: true }))
    await expect(createTriggerToken(newClient(), PAT, 'acme/app', { description: 'x' })).rejects.toMatchObject({
      key: 'forbidden',
      hint: expect.stringContaining('Maintainer or Owner role in acme/app'),
    })
    useGitLab(http.post(TRIGGERS, () => HttpResponse.json({ error: 'insufficient_scope' }, { status: 403 }), { once: true }))
    await expect(createTriggerToken(newClient(), PAT, 'acme/app', { description: 'x' })).rejects.toMatchObject({ key: 'insufficient-scope' })
  })

  it('a 401 says the personal access token was rejected', async () => {
    useGitLab(http.post(TRIGGERS, () => HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 })))
    await expect(createTriggerToken(newClient(), PAT, 'acme/app', { description: 'x' })).rejects.toMatchObject({ name: 'AuthError', key: 'unauthorized' })
  })
})

describe('getTriggerToken and revokeTriggerToken', () => {
  it('a 404 about the trigger names it by ID; a 404 about the project does not', async () => {
    useGitLab(http.get(`${TRIGGERS}/7`, () => HttpResponse.json({ message: '404 Trigger Not Found' }, { status: 404 })))
    const error = await getTriggerToken(newClient(), PAT, 'acme/app', 7).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      key: 'trigger-token-not-found',
      message: 'no trigger token 7 in acme/app',
      hint: "It may have been revoked already; see the project's trigger tokens with: glt tokens list -p acme/app",
    })
    useGitLab(http.delete(`${TRIGGERS}/7`, () => HttpResponse.json({ message: '404 Project Not Found' }, { status: 404 })))
    await expect(revokeTriggerToken(newClient(), PAT, 'acme/app', 7)).rejects.toMatchObject({ key: 'not-found' })
  })

  it('revokes with DELETE (204)', async () => {
    const methods: string[] = []
    useGitLab(
      http.delete(`${TRIGGERS}/7`, ({ request }) => {
        methods.push(request.method)
        return new HttpResponse(null, { status: 204 })
      }),
    )
    await revokeTriggerToken(newClient(), PAT, 'acme/app', 7)
    expect(methods).toEqual(['DELETE'])
  })
})

describe('isTruncatedToken', () => {
  it.each([
    ['glpt', true],
    ['ab12', true],
    ['', true],
    ['glptt-0', false],
    [MINE, false],
  ])('%s → %s', (token, truncated) => {
    expect(isTruncatedToken(token)).toBe(truncated)
  })
})
