import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADA, ADA_TRIGGER, BOB, BOB_TRIGGER, DEMO_JOB_TOKEN, DEMO_PROJECT, EXPIRED_TRIGGER, TOOLS_PROJECT, seedDemo } from './seed.ts'
import { startFakeGitLab } from './server.ts'
import type { FakeGitLab } from './server.ts'

let fake: FakeGitLab

beforeEach(async () => {
  fake = await startFakeGitLab()
  seedDemo(fake)
})

afterEach(async () => {
  await fake.close()
})

const api = (path: string) => `${fake.url}/api/v4${path}`
const asAda = { 'PRIVATE-TOKEN': ADA.pat }
const asBob = { 'PRIVATE-TOKEN': BOB.pat }

async function call(method: string, path: string, init: { body?: NonNullable<RequestInit['body']>; headers?: Record<string, string> } = {}) {
  const response = await fetch(api(path), { method, ...init })
  const text = await response.text()
  const isJson = response.headers.get('content-type')?.startsWith('application/json') === true
  return { status: response.status, headers: response.headers, text, json: isJson ? (JSON.parse(text) as unknown) : undefined }
}

const triggerForm = (fields: Record<string, string>) => new URLSearchParams(fields)
const trigger = (fields: Record<string, string>, project: string = '42') =>
  call('POST', `/projects/${project}/trigger/pipeline`, { body: triggerForm(fields) })
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  call('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } })

describe('trigger a pipeline', () => {
  it('creates a pipeline from form fields and records the request as sent', async () => {
    const r = await call('POST', `/projects/${DEMO_PROJECT.encodedPath}/trigger/pipeline?variables[FROM_QUERY]=q`, {
      body: triggerForm({ token: ADA_TRIGGER.token, ref: 'main', 'variables[DEPLOY_ENV]': 'staging' }),
    })

    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({
      id: fake.pipelines[0]?.id,
      iid: 1,
      project_id: 42,
      ref: 'main',
      status: 'created',
      source: 'trigger',
      tag: false,
      yaml_errors: null,
      before_sha: '0000000000000000000000000000000000000000',
      web_url: `${fake.url}/acme/platform/api/-/pipelines/${fake.pipelines[0]?.id}`,
      user: { id: ADA.id, username: 'ada' },
      detailed_status: { group: 'created' },
    })
    expect(r.json).toHaveProperty('sha', expect.stringMatching(/^[0-9a-f]{40}$/))

    const [request] = fake.requests
    expect(request).toMatchObject({
      method: 'POST',
      route: 'trigger',
      rawPath: '/api/v4/projects/acme%2Fplatform%2Fapi/trigger/pipeline?variables[FROM_QUERY]=q',
      path: '/api/v4/projects/acme%2Fplatform%2Fapi/trigger/pipeline',
      pathParams: { id: 'acme/platform/api' },
      query: { 'variables[FROM_QUERY]': 'q' },
      contentType: 'application/x-www-form-urlencoded',
      fields: { token: ADA_TRIGGER.token, ref: 'main', 'variables[DEPLOY_ENV]': 'staging' },
      status: 201,
    })
    // The body's `variables` replaces the query's, as Rack merges them shallowly.
    expect(request?.params).toEqual({ token: ADA_TRIGGER.token, ref: 'main', variables: { DEPLOY_ENV: 'staging' } })
    expect(fake.pipelines).toHaveLength(1)
    expect(fake.pipelines[0]?.variables).toEqual({ DEPLOY_ENV: 'staging' })
    expect(fake.triggers.find((t) => t.id === ADA_TRIGGER.id)?.lastUsed).not.toBe('2025-06-02T14:03:11.090Z')
  })

  it('reads multipart bodies, as curl -F sends them', async () => {
    const body = new FormData()
    body.set('token', ADA_TRIGGER.token)
    body.set('ref', 'feature/login-form')
    body.set('variables[GREETING]', 'hello\r\nworld')
    body.set('inputs[replicas]', '3')

    const r = await call('POST', '/projects/42/trigger/pipeline', { body })

    expect(r.status).toBe(201)
    const request = fake.requests[0]
    expect(request?.contentType).toBe('multipart/form-data')
    expect(request?.fields['variables[GREETING]']).toBe('hello\r\nworld')
    expect(request?.params).toEqual({
      token: ADA_TRIGGER.token,
      ref: 'feature/login-form',
      variables: { GREETING: 'hello\r\nworld' },
      inputs: { replicas: '3' },
    })
  })

  it('reads a hand-made multipart body with a quoted boundary', async () => {
    const body = [
      '--x-y',
      'Content-Disposition: form-data; name="token"',
      '',
      ADA_TRIGGER.token,
      '--x-y',
      'Content-Disposition: form-data; name="ref"',
      '',
      'main',
      '--x-y--',
      '',
    ].join('\r\n')
    const r = await call('POST', '/projects/42/trigger/pipeline', {
      body,
      headers: { 'content-type': 'multipart/form-data; boundary="x-y"' },
    })
    expect(r.status).toBe(201)
  })

  it('reads JSON bodies, typed inputs included, and flattens them into fields', async () => {
    const r = await postJson('/projects/42/trigger/pipeline', {
      token: ADA_TRIGGER.token,
      ref: 'main',
      variables: { A: '1' },
      inputs: { replicas: 3, regions: ['eu', 'us'], dry_run: false },
    })

    expect(r.status).toBe(201)
    const request = fake.requests[0]
    expect(request?.params['inputs']).toEqual({ replicas: 3, regions: ['eu', 'us'], dry_run: false })
    expect(request?.fieldEntries).toContainEqual(['inputs[regions][]', 'us'])
    expect(request?.fields).toMatchObject({ 'variables[A]': '1', 'inputs[replicas]': '3', 'inputs[dry_run]': 'false' })
    expect(fake.pipelines[0]?.inputs).toEqual({ replicas: 3, regions: ['eu', 'us'], dry_run: false })
  })

  it('matches an encoded project path but not one with literal slashes', async () => {
    const literal = await call('POST', '/projects/acme/platform/api/trigger/pipeline', {
      body: triggerForm({ token: ADA_TRIGGER.token, ref: 'main' }),
    })
    expect(literal).toMatchObject({ status: 404, json: { error: '404 Not Found' } })
    expect(fake.requests[0]?.route).toBe('not-found')

    const doubleEncoded = await trigger({ token: ADA_TRIGGER.token, ref: 'main' }, 'acme%252Fplatform%252Fapi')
    expect(doubleEncoded).toMatchObject({ status: 404, json: { message: '404 Not Found' } })
    expect(fake.pipelines).toHaveLength(0)
  })

  it.each([
    [{ ref: 'main' }, { error: 'token is missing' }],
    [{ token: ADA_TRIGGER.token }, { error: 'ref is missing' }],
    [{ token: ADA_TRIGGER.token, ref: '  ' }, { error: 'ref is empty' }],
    [{}, { error: 'ref is missing, token is missing' }],
    [{ token: ADA_TRIGGER.token, ref: 'main', variables: 'FOO=bar' }, { error: 'variables is invalid' }],
    [{ token: ADA_TRIGGER.token, ref: 'main', 'variables[]': 'x' }, { error: 'variables is invalid' }],
    [{ token: ADA_TRIGGER.token, ref: 'main', 'variables[A][B]': 'x' }, { message: 'variables needs to be a map of key-valued strings' }],
    [{ token: ADA_TRIGGER.token, ref: 'no-such-branch' }, { message: { base: ['Reference not found'] } }],
  ])('answers 400 to %o with %o', async (fields, body) => {
    const r = await trigger(fields)
    expect(r).toMatchObject({ status: 400, json: body })
    expect(fake.pipelines).toHaveLength(0)
  })

  it('refuses non-string variable values in JSON and bodies that are not JSON', async () => {
    const typed = await postJson('/projects/42/trigger/pipeline', { token: ADA_TRIGGER.token, ref: 'main', variables: { N: 1 } })
    expect(typed).toMatchObject({ status: 400, json: { message: 'variables needs to be a map of key-valued strings' } })

    const broken = await call('POST', '/projects/42/trigger/pipeline', { body: '{"token":', headers: { 'content-type': 'application/json' } })
    expect(broken).toMatchObject({ status: 400, json: { error: 'message body does not match declared format' } })
  })

  it('answers the same bare 404 to every token it will not take', async () => {
    fake.addTrigger(TOOLS_PROJECT.id, { token: 'glptt-tools00000000000000000000000000000001', description: 'tools', ownerId: ADA.id })
    const tokens = [
      'glptt-unknown0000000000000000000000000000000',
      ADA.pat, // a personal access token is not a trigger token
      EXPIRED_TRIGGER.token,
      'glptt-tools00000000000000000000000000000001', // another project's
      'glcbt-unknown-job-token',
    ]
    for (const token of tokens) {
      expect(await trigger({ token, ref: 'main' })).toMatchObject({ status: 404, json: { message: '404 Not Found' } })
    }
    expect(await trigger({ token: ADA_TRIGGER.token, ref: 'main' }, '999')).toMatchObject({ status: 404 })
    expect(fake.pipelines).toHaveLength(0)
  })

  it('accepts tags and commit SHAs as refs', async () => {
    const tag = await trigger({ token: ADA_TRIGGER.token, ref: 'v1.2.0' })
    expect(tag).toMatchObject({ status: 201, json: { ref: 'v1.2.0', tag: true } })

    const sha = 'a'.repeat(40)
    expect(await trigger({ token: ADA_TRIGGER.token, ref: sha })).toMatchObject({ status: 201, json: { sha, tag: false } })
  })

  it('runs pipelines as the token owner, who needs the Developer role', async () => {
    fake.addUser({ id: 9, username: 'gus', name: 'Gus Guest', roles: { 42: 'guest' } })
    fake.addTrigger(42, { token: 'glptt-gus', description: 'left over', ownerId: 9 })
    expect(await trigger({ token: 'glptt-gus', ref: 'main' })).toMatchObject({
      status: 400,
      json: { message: { base: ['Insufficient permissions to create a new pipeline'] } },
    })
    expect(await trigger({ token: BOB_TRIGGER.token, ref: 'main' })).toMatchObject({ status: 201, json: { user: { username: 'bob' } } })
  })

  it('takes a CI job token from a project the allowlist admits, as a multi-project pipeline', async () => {
    const r = await trigger({ token: DEMO_JOB_TOKEN, ref: 'main' })
    expect(r).toMatchObject({ status: 201, json: { source: 'pipeline', user: { username: 'ada' } } })

    fake.addJobToken('glcbt-from-42', { projectId: 42, allowedTargets: [] })
    expect(await trigger({ token: 'glcbt-from-42', ref: 'main' }, '7')).toMatchObject({ status: 404, json: { message: '404 Not Found' } })

    fake.addJobToken('glcbt-finished', { projectId: 7, allowedTargets: [42], running: false })
    expect(await trigger({ token: 'glcbt-finished', ref: 'main' })).toMatchObject({ status: 401, json: { message: 'Job is not running' } })
  })

  it('refuses a request sent by a GitLab pipeline webhook (loop protection)', async () => {
    const r = await call('POST', '/projects/42/trigger/pipeline', {
      body: triggerForm({ token: ADA_TRIGGER.token, ref: 'main' }),
      headers: { 'X-Gitlab-Event': 'Pipeline Hook' },
    })
    expect(r).toMatchObject({ status: 403, json: { message: '403 Forbidden' } })
    expect(fake.pipelines).toHaveLength(0)
  })
})

describe('webhook form', () => {
  it('takes the ref from the path over the payload and keeps the payload without the token', async () => {
    const r = await postJson(`/projects/42/ref/feature%2Flogin-form/trigger/pipeline?token=${ADA_TRIGGER.token}`, {
      ref: 'main',
      object_kind: 'push',
    })

    expect(r).toMatchObject({ status: 201, json: { ref: 'feature/login-form' } })
    expect(fake.requests[0]).toMatchObject({ route: 'webhook-trigger', pathParams: { id: '42', ref: 'feature/login-form' } })
    const payload = JSON.parse(fake.pipelines[0]?.triggerPayload ?? '') as Record<string, unknown>
    expect(payload).toMatchObject({ ref: 'feature/login-form', object_kind: 'push' })
    expect(payload).not.toHaveProperty('token')
  })

  it('matches a ref with literal slashes too, as GitLab declares ref: /.+/', async () => {
    const r = await call('POST', `/projects/42/ref/release/2.0/trigger/pipeline?token=${ADA_TRIGGER.token}`)
    expect(r).toMatchObject({ status: 201, json: { ref: 'release/2.0' } })
  })

  it('refuses the pipeline hook event header', async () => {
    const r = await call('POST', `/projects/42/ref/main/trigger/pipeline?token=${ADA_TRIGGER.token}`, {
      headers: { 'X-Gitlab-Event': 'Pipeline Hook' },
    })
    expect(r.status).toBe(403)
  })
})

describe('trigger tokens API', () => {
  it('needs a valid token', async () => {
    expect(await call('GET', '/projects/42/triggers')).toMatchObject({ status: 401, json: { message: '401 Unauthorized' } })
    expect(await call('GET', '/projects/42/triggers', { headers: { 'PRIVATE-TOKEN': 'glpat-nope' } })).toMatchObject({ status: 401 })
    fake.addPersonalAccessToken(ADA.id, { token: 'glpat-old', expiresAt: '2020-01-01' })
    expect(await call('GET', '/projects/42/triggers', { headers: { 'PRIVATE-TOKEN': 'glpat-old' } })).toMatchObject({
      status: 401,
      json: { error: 'invalid_token', error_description: 'Token has expired.' },
    })
  })

  it('needs the Maintainer role, and hides projects the user cannot see', async () => {
    expect(await call('GET', '/projects/42/triggers', { headers: asBob })).toMatchObject({ status: 403, json: { message: '403 Forbidden' } })
    fake.addUser({ id: 8, username: 'eve', name: 'Eve', pat: { token: 'glpat-eve' } })
    expect(await call('GET', '/projects/42/triggers', { headers: { 'PRIVATE-TOKEN': 'glpat-eve' } })).toMatchObject({
      status: 404,
      json: { message: '404 Project Not Found' },
    })
  })

  it('shows full tokens only to their owner', async () => {
    const r = await call('GET', `/projects/${DEMO_PROJECT.encodedPath}/triggers`, { headers: { Authorization: `Bearer ${ADA.pat}` } })
    expect(r.status).toBe(200)
    const tokens = (r.json as Array<{ id: number; token: string }>).map(({ id, token }) => ({ id, token }))
    expect(tokens).toEqual([
      { id: ADA_TRIGGER.id, token: ADA_TRIGGER.token },
      { id: BOB_TRIGGER.id, token: 'glpt' },
      { id: EXPIRED_TRIGGER.id, token: EXPIRED_TRIGGER.token },
    ])
    expect((r.json as unknown[])[1]).toMatchObject({
      owner: { id: BOB.id, username: 'bob', name: 'Bob Builder', state: 'active', web_url: `${fake.url}/bob` },
      last_used: null,
      expires_at: null,
    })
  })

  it('paginates with GitLab headers', async () => {
    for (let i = 4; i <= 25; i++) fake.addTrigger(42, { token: `glptt-extra-${i}`, description: `extra ${i}`, ownerId: ADA.id })

    const first = await call('GET', '/projects/42/triggers?per_page=10', { headers: asAda })
    expect(first.json).toHaveLength(10)
    expect(Object.fromEntries(['x-page', 'x-per-page', 'x-next-page', 'x-prev-page', 'x-total', 'x-total-pages'].map((h) => [h, first.headers.get(h)]))).toEqual({
      'x-page': '1',
      'x-per-page': '10',
      'x-next-page': '2',
      'x-prev-page': '',
      'x-total': '25',
      'x-total-pages': '3',
    })
    expect(first.headers.get('link')).toContain(`<${api('/projects/42/triggers?per_page=10&page=2')}>; rel="next"`)

    const last = await call('GET', '/projects/42/triggers?per_page=10&page=3', { headers: asAda })
    expect(last.json).toHaveLength(5)
    expect(last.headers.get('x-next-page')).toBe('')
    expect(last.headers.get('link')).not.toContain('rel="next"')

    const capped = await call('GET', '/projects/42/triggers?per_page=500', { headers: asAda })
    expect(capped.headers.get('x-per-page')).toBe('100')

    fake.settings.omitPaginationTotals = true
    const untotalled = await call('GET', '/projects/42/triggers', { headers: asAda })
    expect(untotalled.headers.has('x-total')).toBe(false)
    expect(untotalled.headers.get('x-next-page')).toBe('2')
  })

  it('creates a token owned by the caller, in full', async () => {
    const r = await call('POST', '/projects/42/triggers', {
      headers: asAda,
      body: new URLSearchParams({ description: 'from glt', expires_at: '2030-01-31' }),
    })
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({ description: 'from glt', expires_at: '2030-01-31T00:00:00.000Z', last_used: null, owner: { id: ADA.id } })
    expect(r.json).toHaveProperty('token', expect.stringMatching(/^glptt-[0-9a-f]{40}$/))

    const created = r.json as { token: string }
    expect(await trigger({ token: created.token, ref: 'main' })).toMatchObject({ status: 201 })
  })

  it('needs a description and the api scope to create', async () => {
    expect(await call('POST', '/projects/42/triggers', { headers: asAda })).toMatchObject({
      status: 400,
      json: { error: 'description is missing' },
    })
    fake.addPersonalAccessToken(ADA.id, { token: 'glpat-ada-readonly', scopes: ['read_api'] })
    const r = await postJson('/projects/42/triggers', { description: 'x' }, { 'PRIVATE-TOKEN': 'glpat-ada-readonly' })
    expect(r).toEqual(
      expect.objectContaining({
        status: 403,
        json: {
          error: 'insufficient_scope',
          error_description: 'The request requires higher privileges than provided by the access token.',
          scope: 'api',
        },
      }),
    )
    expect(await call('GET', '/projects/42/triggers', { headers: { 'PRIVATE-TOKEN': 'glpat-ada-readonly' } })).toMatchObject({ status: 200 })
  })

  it('gets one token, or 404 Trigger Not Found', async () => {
    expect(await call('GET', `/projects/42/triggers/${BOB_TRIGGER.id}`, { headers: asAda })).toMatchObject({
      status: 200,
      json: { id: BOB_TRIGGER.id, token: 'glpt', description: BOB_TRIGGER.description },
    })
    expect(await call('GET', '/projects/42/triggers/404', { headers: asAda })).toMatchObject({
      status: 404,
      json: { message: '404 Trigger Not Found' },
    })
    expect(await call('GET', '/projects/42/triggers/abc', { headers: asAda })).toMatchObject({
      status: 400,
      json: { error: 'trigger_id is invalid' },
    })
  })

  it('lets only the owner update a token', async () => {
    const own = await call('PUT', `/projects/42/triggers/${ADA_TRIGGER.id}`, { headers: asAda, body: new URLSearchParams({ description: 'renamed' }) })
    expect(own).toMatchObject({ status: 200, json: { description: 'renamed', token: ADA_TRIGGER.token } })

    const others = await call('PUT', `/projects/42/triggers/${BOB_TRIGGER.id}`, { headers: asAda, body: new URLSearchParams({ description: 'mine now' }) })
    expect(others).toMatchObject({
      status: 403,
      json: { message: '403 Forbidden - The current user is not authorized to update the pipeline trigger token' },
    })
  })

  it('revokes a token with 204, after which it triggers nothing', async () => {
    const r = await call('DELETE', `/projects/42/triggers/${BOB_TRIGGER.id}`, { headers: asAda })
    expect(r).toMatchObject({ status: 204, text: '' })
    expect(fake.triggers.map((t) => t.id)).not.toContain(BOB_TRIGGER.id)
    expect(await trigger({ token: BOB_TRIGGER.token, ref: 'main' })).toMatchObject({ status: 404 })
    expect(await call('DELETE', `/projects/42/triggers/${BOB_TRIGGER.id}`, { headers: asAda })).toMatchObject({ status: 404 })
  })
})

describe('pipelines', () => {
  async function triggerMain(): Promise<number> {
    const r = await trigger({ token: ADA_TRIGGER.token, ref: 'main' })
    return (r.json as { id: number }).id
  }

  it('walk through their script, one status per GET', async () => {
    const id = await triggerMain()
    const statuses: unknown[] = []
    for (let i = 0; i < 5; i++) statuses.push((await call('GET', `/projects/42/pipelines/${id}`, { headers: asBob })).json)
    expect(statuses.map((p) => (p as { status: string }).status)).toEqual(['pending', 'running', 'running', 'success', 'success'])
    expect(statuses[4]).toMatchObject({ started_at: expect.any(String), finished_at: expect.any(String) })

    const jobs = await call('GET', `/projects/42/pipelines/${id}/jobs`, { headers: asBob })
    expect((jobs.json as Array<{ name: string; status: string }>).map(({ name, status }) => ({ name, status }))).toEqual([
      { name: 'build', status: 'success' },
      { name: 'unit-tests', status: 'success' },
      { name: 'deploy-staging', status: 'success' },
    ])
    expect(jobs.headers.get('x-total')).toBe('3')
    expect((jobs.json as Array<{ web_url: string }>)[0]?.web_url).toMatch(new RegExp(`^${fake.url}/acme/platform/api/-/jobs/\\d+$`))
  })

  it('follow a script set by the test, jobs without a status following the pipeline', async () => {
    fake.pipelineScript(42, ['running', 'failed'], [{ name: 'lint', stage: 'test' }, { name: 'docs', stage: 'test', status: 'skipped' }])
    const id = await triggerMain()
    await call('GET', `/projects/42/pipelines/${id}`, { headers: asAda })
    expect((await call('GET', `/projects/42/pipelines/${id}`, { headers: asAda })).json).toMatchObject({ status: 'failed' })
    const jobs = await call('GET', `/projects/42/pipelines/${id}/jobs?scope[]=failed`, { headers: asAda })
    expect(jobs.json).toEqual([expect.objectContaining({ name: 'lint', status: 'failed' })])
  })

  it('can be read with an admitted CI job token, not with a trigger token or an unknown job token', async () => {
    const id = await triggerMain()
    expect(await call('GET', `/projects/42/pipelines/${id}`, { headers: { 'JOB-TOKEN': DEMO_JOB_TOKEN } })).toMatchObject({ status: 200 })
    expect(await call('GET', `/projects/42/pipelines/${id}`, { headers: { 'JOB-TOKEN': 'glcbt-nope' } })).toMatchObject({ status: 401 })
    expect(await call('GET', `/projects/42/pipelines/${id}`, { headers: { 'PRIVATE-TOKEN': ADA_TRIGGER.token } })).toMatchObject({ status: 401 })
    expect(await call('GET', `/projects/42/pipelines/${id}`)).toMatchObject({ status: 404, json: { message: '404 Project Not Found' } })
    expect(await call('GET', '/projects/42/pipelines/1', { headers: asAda })).toMatchObject({ status: 404, json: { message: '404 Not found' } })
  })

  it('can be canceled by a developer with the api scope', async () => {
    const id = await triggerMain()
    expect(await call('POST', `/projects/42/pipelines/${id}/cancel`, { headers: asBob })).toMatchObject({
      status: 403,
      json: { error: 'insufficient_scope' },
    })
    expect(await call('POST', `/projects/42/pipelines/${id}/cancel`, { headers: asAda })).toMatchObject({ status: 200, json: { status: 'canceled' } })
    expect(await call('GET', `/projects/42/pipelines/${id}`, { headers: asAda })).toMatchObject({ json: { status: 'canceled' } })
  })
})

describe('identity, projects and the rest', () => {
  it('answers /user, /personal_access_tokens/self and /version for a valid token only', async () => {
    expect(await call('GET', '/user', { headers: asAda })).toMatchObject({ status: 200, json: { id: ADA.id, username: 'ada', state: 'active' } })
    expect(await call('GET', '/personal_access_tokens/self', { headers: asBob })).toMatchObject({
      status: 200,
      json: { user_id: BOB.id, scopes: ['read_api'], active: true, revoked: false, expires_at: null },
    })
    expect(await call('GET', '/version', { headers: asBob })).toMatchObject({ status: 200, json: { version: '18.2.1' } })
    for (const path of ['/user', '/personal_access_tokens/self', '/version']) {
      expect(await call('GET', path)).toMatchObject({ status: 401, json: { message: '401 Unauthorized' } })
    }
  })

  it('shows a project by id or encoded path to its members', async () => {
    const r = await call('GET', `/projects/${DEMO_PROJECT.encodedPath}`, { headers: asBob })
    expect(r).toMatchObject({
      status: 200,
      json: { id: 42, name: 'api', path_with_namespace: 'acme/platform/api', default_branch: 'main', web_url: `${fake.url}/acme/platform/api` },
    })
    expect(await call('GET', '/projects/7', { headers: asBob })).toMatchObject({ status: 404, json: { message: '404 Project Not Found' } })
    expect(await call('GET', '/projects/42')).toMatchObject({ status: 404 })
  })

  it('answers anything else with the catch-all 404', async () => {
    expect(await call('GET', '/projects/42/variables', { headers: asAda })).toMatchObject({ status: 404, json: { error: '404 Not Found' } })
    expect(fake.requests[0]?.route).toBe('not-found')
  })
})

describe('faults', () => {
  const triggerAda = () => trigger({ token: ADA_TRIGGER.token, ref: 'main' })

  it('answers with a status once, then normally, and records which fault answered', async () => {
    fake.inject('trigger', { status: 502 })
    expect(await triggerAda()).toMatchObject({ status: 502, json: { message: '502 Bad Gateway' } })
    expect(fake.pipelines).toHaveLength(0)
    expect(await triggerAda()).toMatchObject({ status: 201 })
    expect(fake.requests.map((r) => [r.status, r.fault])).toEqual([[502, { status: 502 }], [201, undefined]])
  })

  it('targets requests by predicate, several times', async () => {
    fake.inject((request) => request.method === 'GET', { status: 503, body: 'upstream down', times: 2 })
    const first = await call('GET', '/user', { headers: asAda })
    expect(first).toMatchObject({ status: 503, text: 'upstream down' })
    expect(first.headers.get('content-type')).toContain('text/plain')
    expect(await call('GET', '/version', { headers: asAda })).toMatchObject({ status: 503 })
    expect(await call('GET', '/user', { headers: asAda })).toMatchObject({ status: 200 })
  })

  it('rate limits with Retry-After', async () => {
    fake.inject('trigger', { status: 429, retryAfter: 7 })
    const r = await triggerAda()
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('7')
  })

  it('serves a sign-in page', async () => {
    fake.inject('*', { html: true })
    const r = await call('GET', '/user', { headers: asAda })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('text/html')
    expect(r.text).toContain('Sign in')
  })

  it('redirects', async () => {
    fake.inject('trigger', { redirectTo: 'https://gitlab.example.com/users/sign_in' })
    const response = await fetch(api('/projects/42/trigger/pipeline'), { method: 'POST', redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('https://gitlab.example.com/users/sign_in')
  })

  it('delays the headers, after the route has run', async () => {
    fake.inject('trigger', { delayHeadersMs: 150 })
    const started = Date.now()
    expect(await triggerAda()).toMatchObject({ status: 201 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)

    // A client that gives up still leaves the pipeline created: what a retry must not repeat.
    fake.inject('trigger', { delayHeadersMs: 2_000 })
    await expect(
      fetch(api('/projects/42/trigger/pipeline'), {
        method: 'POST',
        body: triggerForm({ token: ADA_TRIGGER.token, ref: 'main' }),
        signal: AbortSignal.timeout(50),
      }),
    ).rejects.toThrow()
    await waitFor(() => fake.requests.length === 2)
    expect(fake.pipelines).toHaveLength(2)
  })

  it('cuts the connection before answering, by default after creating the pipeline', async () => {
    fake.inject('trigger', { destroyBeforeResponse: true })
    await expect(triggerAda()).rejects.toThrow()
    expect(fake.pipelines).toHaveLength(1)
    expect(fake.requests[0]?.status).toBeUndefined()

    fake.inject('trigger', { destroyBeforeResponse: true, handled: false })
    await expect(triggerAda()).rejects.toThrow()
    expect(fake.pipelines).toHaveLength(1)
  })

  it('resets the connection in the middle of the body', async () => {
    fake.inject('trigger', { resetAfterHeaders: true })
    const response = await fetch(api('/projects/42/trigger/pipeline'), {
      method: 'POST',
      body: triggerForm({ token: ADA_TRIGGER.token, ref: 'main' }),
    })
    expect(response.status).toBe(201)
    await expect(response.text()).rejects.toThrow()
    expect(fake.pipelines).toHaveLength(1)
  })

  it('truncates the JSON', async () => {
    fake.inject('trigger', { truncateJson: true })
    const response = await fetch(api('/projects/42/trigger/pipeline'), {
      method: 'POST',
      body: triggerForm({ token: ADA_TRIGGER.token, ref: 'main' }),
    })
    expect(response.status).toBe(201)
    await expect(response.json()).rejects.toThrow(SyntaxError)
  })

  it.each([false, true])('streams a huge body of exactly the size asked (chunked: %s)', async (chunked) => {
    const size = 3 * 1024 * 1024 + 17
    fake.inject('list-triggers', { hugeBodyBytes: size, chunked })
    const response = await fetch(api('/projects/42/triggers'), { headers: asAda })
    expect(response.headers.get('content-length')).toBe(chunked ? null : String(size))
    let received = 0
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) received += chunk.length
    expect(received).toBe(size)
  })

  it('stops streaming when the client goes away', async () => {
    fake.inject('list-triggers', { hugeBodyBytes: 1024 ** 3 })
    const controller = new AbortController()
    const response = await fetch(api('/projects/42/triggers'), { headers: asAda, signal: controller.signal })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    controller.abort()
    // The server is still responsive, and close() does not wait for a gigabyte.
    expect(await call('GET', '/version', { headers: asAda })).toMatchObject({ status: 200 })
  })
})

describe('server', () => {
  it('closes promptly with keep-alive connections open', async () => {
    await call('GET', '/version', { headers: asAda })
    const started = Date.now()
    await fake.close()
    expect(Date.now() - started).toBeLessThan(500)
  })

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()

  it.skipIf(!openssl)('serves https with the given key and certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-gitlab-tls-'))
    try {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      ], { stdio: 'ignore' })
      const key = readFileSync(join(dir, 'key.pem'), 'utf8')
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
      const secure = await startFakeGitLab({ tls: { key, cert } })
      try {
        seedDemo(secure)
        expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
        const status = await new Promise<number | undefined>((resolve, reject) => {
          https
            .get(`${secure.url}/api/v4/version`, { ca: cert, headers: asAda }, (response) => {
              response.resume()
              resolve(response.statusCode)
            })
            .on('error', reject)
        })
        expect(status).toBe(200)
      } finally {
        await secure.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
