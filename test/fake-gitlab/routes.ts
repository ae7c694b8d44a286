import { randomBytes } from 'node:crypto'
import type { RecordedRequest } from './recorded-request.ts'
import type { FakeJobToken, FakePat, FakePipeline, FakeProject, FakeUser, GitLabState, Role } from './state.ts'
import { ACCESS_LEVEL, advancePipeline, cancelPipeline, fakeSha, jobStatus } from './state.ts'
import { isPlainObject } from './request-params.ts'
import {
  isPastDate,
  jobEntity,
  personalAccessTokenEntity,
  pipelineEntity,
  projectEntity,
  triggerEntity,
  userEntity,
} from './entities.ts'

export type RouteName =
  | 'trigger'
  | 'webhook-trigger'
  | 'list-triggers'
  | 'get-trigger'
  | 'create-trigger'
  | 'update-trigger'
  | 'delete-trigger'
  | 'user'
  | 'token-self'
  | 'project'
  | 'version'
  | 'pipeline'
  | 'pipeline-jobs'
  | 'cancel-pipeline'
  | 'not-found'

/** What a route answers: a status, JSON (or no body, for 204) and extra headers. */
export interface ApiResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface ServerSettings {
  /** What `GET /version` reports. */
  version: string
  revision: string
  /** GitLab leaves out x-total and x-total-pages on large collections; set to test a client copes. */
  omitPaginationTotals: boolean
}

export interface RouteContext {
  request: RecordedRequest
  pathParams: Record<string, string>
  state: GitLabState
  settings: ServerSettings
  baseUrl: string
}

type Handler = (context: RouteContext) => ApiResponse

interface Route {
  name: RouteName
  method: string
  pattern: RegExp
  paramNames: string[]
  handler: Handler
}

export interface RouteMatch {
  name: RouteName
  pathParams: Record<string, string>
  handler: Handler
}

/** Thrown by handlers to answer with an error; the dispatcher turns it into the response. */
class ApiError extends Error {
  readonly response: ApiResponse

  constructor(status: number, body: unknown, headers?: Record<string, string>) {
    super(`${status} ${JSON.stringify(body)}`)
    this.response = headers ? { status, body, headers } : { status, body }
  }
}

const unauthorized = () => new ApiError(401, { message: '401 Unauthorized' })
const forbidden = (reason?: string) =>
  new ApiError(403, { message: reason === undefined ? '403 Forbidden' : `403 Forbidden - ${reason}` })
const notFound = (what?: string) => new ApiError(404, { message: what === undefined ? '404 Not Found' : `404 ${what} Not Found` })
/** Grape's parameter validation errors: `{"error": "ref is missing, token is missing"}`. */
const invalidParams = (errors: string[]) => new ApiError(400, { error: errors.join(', ') })

const READ_SCOPES = ['api', 'read_api'] as const
const WRITE_SCOPES = ['api'] as const

const routes: Route[] = [
  route('POST', '/projects/:id/trigger/pipeline', 'trigger', triggerPipeline),
  // GitLab declares `ref: /.+/` for this form, so an unencoded slash in the ref still matches.
  route('POST', '/projects/:id/ref/:ref+/trigger/pipeline', 'webhook-trigger', triggerPipeline),
  route('GET', '/projects/:id/triggers', 'list-triggers', listTriggers),
  route('GET', '/projects/:id/triggers/:triggerId', 'get-trigger', getTrigger),
  route('POST', '/projects/:id/triggers', 'create-trigger', createTrigger),
  route('PUT', '/projects/:id/triggers/:triggerId', 'update-trigger', updateTrigger),
  route('DELETE', '/projects/:id/triggers/:triggerId', 'delete-trigger', deleteTrigger),
  route('GET', '/user', 'user', getCurrentUser),
  route('GET', '/personal_access_tokens/self', 'token-self', getTokenSelf),
  route('GET', '/projects/:id', 'project', getProject),
  route('GET', '/version', 'version', getVersion),
  route('GET', '/projects/:id/pipelines/:pipelineId', 'pipeline', getPipeline),
  route('GET', '/projects/:id/pipelines/:pipelineId/jobs', 'pipeline-jobs', listPipelineJobs),
  route('POST', '/projects/:id/pipelines/:pipelineId/cancel', 'cancel-pipeline', cancelPipelineRoute),
]

/** `:name` matches one encoded path segment, `:name+` one or more; both are URL-decoded. */
function route(method: string, template: string, name: RouteName, handler: Handler): Route {
  const paramNames: string[] = []
  const source = template.replace(/:(\w+)(\+?)/g, (_match, param: string, greedy: string) => {
    paramNames.push(param)
    return greedy === '+' ? '(.+)' : '([^/]+)'
  })
  return { name, method, pattern: new RegExp(`^/api/v4${source}$`), paramNames, handler }
}

export function matchRoute(method: string, path: string): RouteMatch {
  for (const candidate of routes) {
    if (candidate.method !== method) continue
    const match = candidate.pattern.exec(path)
    if (!match) continue
    const pathParams: Record<string, string> = {}
    try {
      candidate.paramNames.forEach((param, index) => {
        pathParams[param] = decodeURIComponent(match[index + 1] ?? '')
      })
    } catch {
      continue
    }
    return { name: candidate.name, pathParams, handler: candidate.handler }
  }
  // GitLab's catch-all route answers with Grape's `error!`, hence `error` rather than `message`.
  return { name: 'not-found', pathParams: {}, handler: () => ({ status: 404, body: { error: '404 Not Found' } }) }
}

export function runHandler(match: RouteMatch, context: RouteContext): ApiResponse {
  try {
    return match.handler(context)
  } catch (error) {
    if (error instanceof ApiError) return error.response
    throw error
  }
}

// --- Trigger a pipeline ---------------------------------------------------------------------

function triggerPipeline(context: RouteContext): ApiResponse {
  const { request, pathParams, state } = context
  // Grape merges the path parameters last: the ref in the path wins over one in the payload.
  const params: Record<string, unknown> = { ...request.params, ...pathParams }
  if (request.bodyError !== undefined) throw invalidParams([request.bodyError])

  const errors: string[] = []
  const ref = stringParam(params, 'ref', errors, { allowBlank: false })
  const token = stringParam(params, 'token', errors, { allowBlank: true })
  hashParam(params, 'variables', errors)
  hashParam(params, 'inputs', errors)
  if (errors.length > 0 || ref === undefined || token === undefined) throw invalidParams(errors)

  // Loop protection: GitLab refuses a trigger sent by its own pipeline webhook.
  if (request.headers['x-gitlab-event'] === 'Pipeline Hook') throw forbidden()

  const variables = (params['variables'] ?? {}) as Record<string, unknown>
  if (!Object.values(variables).every((value) => typeof value === 'string')) {
    throw new ApiError(400, { message: 'variables needs to be a map of key-valued strings' })
  }

  const project = state.findProject(pathParams['id'] ?? '')
  // Every refusal below is the same bare 404, so a caller cannot learn whether the project exists.
  if (!project) throw notFound()

  const caller = triggerCaller(state, token, project)
  const resolved = resolveRef(project, ref)
  if (!resolved) throw new ApiError(400, { message: { base: ['Reference not found'] } })
  const role = state.roleOf(caller.userId, project.id)
  if (caller.userId !== null && state.users.has(caller.userId) && !hasRole(role, 'developer')) {
    throw new ApiError(400, { message: { base: ['Insufficient permissions to create a new pipeline'] } })
  }

  const { token: _hidden, ...payload } = params
  const pipeline = state.createPipeline({
    project,
    ref,
    sha: resolved.sha,
    tag: resolved.tag,
    source: caller.jobToken ? 'pipeline' : 'trigger',
    userId: caller.userId,
    triggerId: caller.triggerId,
    jobToken: caller.jobToken?.token ?? null,
    variables: variables as Record<string, string>,
    inputs: (params['inputs'] as Record<string, unknown> | undefined) ?? null,
    triggerPayload: JSON.stringify(payload),
  })
  return { status: 201, body: pipelineEntity(pipeline, state, context.baseUrl) }
}

interface TriggerCaller {
  userId: number | null
  triggerId: number | null
  jobToken?: FakeJobToken
}

function triggerCaller(state: GitLabState, token: string, project: FakeProject): TriggerCaller {
  const trigger = state.findTriggerByToken(token)
  if (trigger) {
    if (trigger.projectId !== project.id || isPastDate(trigger.expiresAt)) throw notFound()
    trigger.lastUsed = new Date().toISOString()
    return { userId: trigger.ownerId, triggerId: trigger.id }
  }
  const jobToken = state.jobTokens.get(token)
  if (!jobToken) throw notFound()
  if (!jobToken.running) throw new ApiError(401, { message: 'Job is not running' })
  if (!jobTokenReaches(jobToken, project)) throw notFound()
  return { userId: jobToken.userId, triggerId: null, jobToken }
}

function resolveRef(project: FakeProject, ref: string): { sha: string; tag: boolean } | undefined {
  if (project.branches.includes(ref)) return { sha: fakeSha(project.id, ref), tag: false }
  if (project.tags.includes(ref)) return { sha: fakeSha(project.id, ref), tag: true }
  if (/^[0-9a-f]{40}$/i.test(ref)) return { sha: ref.toLowerCase(), tag: false }
  return undefined
}

// --- Trigger tokens API ---------------------------------------------------------------------

function listTriggers(context: RouteContext): ApiResponse {
  const { user, project } = maintainerAccess(context, READ_SCOPES)
  const triggers = context.state.triggers.filter((trigger) => trigger.projectId === project.id)
  const { items, headers } = paginate(context, triggers)
  const body = items.map((trigger) => triggerEntity(trigger, context.state, user.id, context.baseUrl))
  return { status: 200, body, headers }
}

function getTrigger(context: RouteContext): ApiResponse {
  const triggerId = integerParam(context.pathParams['triggerId'], 'trigger_id')
  const { user, project } = maintainerAccess(context, READ_SCOPES)
  const trigger = findTrigger(context.state, project, triggerId)
  return { status: 200, body: triggerEntity(trigger, context.state, user.id, context.baseUrl) }
}

function createTrigger(context: RouteContext): ApiResponse {
  const params = context.request.params
  if (context.request.bodyError !== undefined) throw invalidParams([context.request.bodyError])
  const errors: string[] = []
  const description = stringParam(params, 'description', errors, { allowBlank: true })
  const expiresAt = dateParam(params, 'expires_at', errors)
  if (errors.length > 0 || description === undefined) throw invalidParams(errors)

  const { user, project } = maintainerAccess(context, WRITE_SCOPES)
  const trigger = context.state.addTrigger(project.id, {
    token: `glptt-${randomBytes(20).toString('hex')}`,
    description,
    ownerId: user.id,
    expiresAt: expiresAt ?? null,
  })
  return { status: 201, body: triggerEntity(trigger, context.state, user.id, context.baseUrl) }
}

function updateTrigger(context: RouteContext): ApiResponse {
  const params = context.request.params
  const triggerId = integerParam(context.pathParams['triggerId'], 'trigger_id')
  const errors: string[] = []
  const description = params['description'] === undefined ? undefined : stringParam(params, 'description', errors, { allowBlank: true })
  if (errors.length > 0) throw invalidParams(errors)

  // As in GitLab, the update service (not the route) checks rights, after finding the trigger.
  const { user } = authenticatedUser(context, WRITE_SCOPES)
  const project = visibleProject(context, { kind: 'user', user })
  const trigger = findTrigger(context.state, project, triggerId)
  if (!hasRole(context.state.roleOf(user.id, project.id), 'maintainer') || trigger.ownerId !== user.id) {
    throw forbidden('The current user is not authorized to update the pipeline trigger token')
  }
  if (description !== undefined) trigger.description = description
  trigger.updatedAt = new Date().toISOString()
  return { status: 200, body: triggerEntity(trigger, context.state, user.id, context.baseUrl) }
}

function deleteTrigger(context: RouteContext): ApiResponse {
  const triggerId = integerParam(context.pathParams['triggerId'], 'trigger_id')
  const { project } = maintainerAccess(context, WRITE_SCOPES)
  context.state.removeTrigger(findTrigger(context.state, project, triggerId))
  return { status: 204 }
}

function findTrigger(state: GitLabState, project: FakeProject, triggerId: number) {
  const trigger = state.triggers.find((t) => t.id === triggerId && t.projectId === project.id)
  if (!trigger) throw notFound('Trigger')
  return trigger
}

/** The trigger tokens API needs a signed-in Maintainer or Owner of a project they can see. */
function maintainerAccess(context: RouteContext, scopes: readonly string[]): { user: FakeUser; project: FakeProject } {
  const { user } = authenticatedUser(context, scopes)
  const project = visibleProject(context, { kind: 'user', user })
  if (!hasRole(context.state.roleOf(user.id, project.id), 'maintainer')) throw forbidden()
  return { user, project }
}

// --- Identity and projects ------------------------------------------------------------------

function getCurrentUser(context: RouteContext): ApiResponse {
  const { user } = authenticatedUser(context, [...READ_SCOPES, 'read_user'])
  return { status: 200, body: userEntity(user, context.baseUrl) }
}

function getTokenSelf(context: RouteContext): ApiResponse {
  const { pat } = authenticatedUser(context, [...READ_SCOPES, 'read_user', 'read_repository', 'write_repository'])
  return { status: 200, body: personalAccessTokenEntity(pat) }
}

function getVersion(context: RouteContext): ApiResponse {
  authenticatedUser(context, [...READ_SCOPES, 'read_user'])
  const { version, revision } = context.settings
  return { status: 200, body: { version, revision, kas: { enabled: false, externalUrl: null, version: null }, enterprise: false } }
}

function getProject(context: RouteContext): ApiResponse {
  const caller = identify(context, READ_SCOPES, { acceptJobToken: false })
  return { status: 200, body: projectEntity(visibleProject(context, caller), context.baseUrl) }
}

// --- Pipelines ------------------------------------------------------------------------------

function getPipeline(context: RouteContext): ApiResponse {
  const pipeline = readablePipeline(context)
  advancePipeline(pipeline)
  return { status: 200, body: pipelineEntity(pipeline, context.state, context.baseUrl) }
}

function listPipelineJobs(context: RouteContext): ApiResponse {
  const pipeline = readablePipeline(context)
  // `scope` / `scope[]` filter jobs by status, as GitLab's jobs API does.
  const scope = context.request.params['scope']
  const wanted = scope === undefined ? undefined : [scope].flat().map(String)
  const jobs = pipeline.jobs.filter((job) => !wanted || wanted.includes(jobStatus(pipeline, job)))
  const { items, headers } = paginate(context, jobs)
  return { status: 200, body: items.map((job) => jobEntity(pipeline, job, context.state, context.baseUrl)), headers }
}

function cancelPipelineRoute(context: RouteContext): ApiResponse {
  const pipelineId = integerParam(context.pathParams['pipelineId'], 'pipeline_id')
  const { user } = authenticatedUser(context, WRITE_SCOPES)
  const project = visibleProject(context, { kind: 'user', user })
  if (!hasRole(context.state.roleOf(user.id, project.id), 'developer')) throw forbidden()
  const pipeline = findPipeline(context.state, project, pipelineId)
  cancelPipeline(pipeline)
  return { status: 200, body: pipelineEntity(pipeline, context.state, context.baseUrl) }
}

/** Pipelines can be read with a member's token or, inside CI, a job token the project admits. */
function readablePipeline(context: RouteContext): FakePipeline {
  const pipelineId = integerParam(context.pathParams['pipelineId'], 'pipeline_id')
  const caller = identify(context, READ_SCOPES, { acceptJobToken: true })
  const project = visibleProject(context, caller)
  return findPipeline(context.state, project, pipelineId)
}

function findPipeline(state: GitLabState, project: FakeProject, pipelineId: number): FakePipeline {
  const pipeline = state.pipelines.find((p) => p.id === pipelineId && p.projectId === project.id)
  // ActiveRecord's RecordNotFound, which GitLab's API renders with a lower-case "found".
  if (!pipeline) throw new ApiError(404, { message: '404 Not found' })
  return pipeline
}

// --- Authentication -------------------------------------------------------------------------

type Caller = { kind: 'anonymous' } | { kind: 'user'; user: FakeUser; pat?: FakePat } | { kind: 'job'; jobToken: FakeJobToken }

/**
 * Who is calling, from `PRIVATE-TOKEN`, `Authorization: Bearer` or (where accepted) `JOB-TOKEN`.
 * A token that is given but not valid is refused even on routes open to anonymous callers, as GitLab does.
 */
function identify(context: RouteContext, scopes: readonly string[], options: { acceptJobToken: boolean }): Caller {
  const { headers, query } = context.request
  const bearer = /^Bearer\s+(.+)$/i.exec(headers['authorization'] ?? '')?.[1]
  const personalToken = headers['private-token'] ?? bearer ?? query['private_token'] ?? query['access_token']
  if (personalToken !== undefined) {
    const pat = context.state.findPat(personalToken)
    const user = pat && context.state.users.get(pat.userId)
    if (!pat || !user) throw unauthorized()
    if (pat.revoked) {
      throw new ApiError(401, { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authenticate.' })
    }
    if (isPastDate(pat.expiresAt)) throw new ApiError(401, { error: 'invalid_token', error_description: 'Token has expired.' })
    if (!pat.scopes.some((scope) => scopes.includes(scope))) {
      throw new ApiError(403, {
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges than provided by the access token.',
        scope: scopes.filter((scope) => scope === 'api' || scope === 'read_api').join(' '),
      })
    }
    pat.lastUsedAt = new Date().toISOString()
    return { kind: 'user', user, pat }
  }

  const jobTokenValue = headers['job-token'] ?? query['job_token']
  if (jobTokenValue !== undefined && options.acceptJobToken) {
    const jobToken = context.state.jobTokens.get(jobTokenValue)
    if (!jobToken || !jobToken.running) throw unauthorized()
    return { kind: 'job', jobToken }
  }
  return { kind: 'anonymous' }
}

function authenticatedUser(context: RouteContext, scopes: readonly string[]): { user: FakeUser; pat: FakePat } {
  const caller = identify(context, scopes, { acceptJobToken: false })
  if (caller.kind !== 'user' || !caller.pat) throw unauthorized()
  return { user: caller.user, pat: caller.pat }
}

/** The project named in the path, if the caller may see it; otherwise GitLab's 404, never 403. */
function visibleProject(context: RouteContext, caller: Caller): FakeProject {
  const project = context.state.findProject(context.pathParams['id'] ?? '')
  if (!project || !canSee(context.state, caller, project)) throw notFound('Project')
  return project
}

function canSee(state: GitLabState, caller: Caller, project: FakeProject): boolean {
  if (project.visibility === 'public') return true
  switch (caller.kind) {
    case 'anonymous':
      return false
    case 'job':
      return jobTokenReaches(caller.jobToken, project)
    case 'user':
      return project.visibility === 'internal' || state.roleOf(caller.user.id, project.id) !== undefined
  }
}

function jobTokenReaches(jobToken: FakeJobToken, project: FakeProject): boolean {
  return jobToken.projectId === project.id || jobToken.allowedTargets.includes(project.id)
}

function hasRole(role: Role | undefined, minimum: Role): boolean {
  return role !== undefined && ACCESS_LEVEL[role] >= ACCESS_LEVEL[minimum]
}

// --- Parameters and pagination --------------------------------------------------------------

function stringParam(
  params: Record<string, unknown>,
  name: string,
  errors: string[],
  options: { allowBlank: boolean },
): string | undefined {
  const value = params[name]
  if (value === undefined || value === null) {
    errors.push(`${name} is missing`)
    return undefined
  }
  if (typeof value === 'object') {
    errors.push(`${name} is invalid`)
    return undefined
  }
  const text = String(value)
  if (!options.allowBlank && text.trim() === '') {
    errors.push(`${name} is empty`)
    return undefined
  }
  return text
}

function hashParam(params: Record<string, unknown>, name: string, errors: string[]): void {
  const value = params[name]
  if (value !== undefined && value !== null && !isPlainObject(value)) errors.push(`${name} is invalid`)
}

function dateParam(params: Record<string, unknown>, name: string, errors: string[]): string | undefined {
  const value = params[name]
  if (value === undefined || value === null || value === '') return undefined
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN
  if (Number.isNaN(time)) {
    errors.push(`${name} is invalid`)
    return undefined
  }
  return new Date(time).toISOString()
}

function integerParam(value: string | undefined, name: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw invalidParams([`${name} is invalid`])
  return Number(value)
}

/** GitLab's offset pagination: `page`, `per_page` (default 20, at most 100) and its headers. */
function paginate<T>(context: RouteContext, all: T[]): { items: T[]; headers: Record<string, string> } {
  const { query } = context.request
  const errors: string[] = []
  for (const name of ['page', 'per_page']) {
    const value = query[name]
    if (value !== undefined && !/^-?\d+$/.test(value)) errors.push(`${name} is invalid`)
  }
  if (errors.length > 0) throw invalidParams(errors)

  const requestedPerPage = Number(query['per_page'] ?? 20)
  const perPage = requestedPerPage < 1 ? 20 : Math.min(requestedPerPage, 100)
  const page = Math.max(Number(query['page'] ?? 1), 1)
  const totalPages = Math.max(Math.ceil(all.length / perPage), 1)
  const items = all.slice((page - 1) * perPage, page * perPage)
  const nextPage = page < totalPages ? page + 1 : undefined
  const prevPage = page > 1 ? page - 1 : undefined

  const pageUrl = (target: number) => {
    const url = new URL(context.request.rawPath, context.baseUrl)
    url.searchParams.set('page', String(target))
    url.searchParams.set('per_page', String(perPage))
    return url.toString()
  }
  const links = [
    prevPage === undefined ? undefined : `<${pageUrl(prevPage)}>; rel="prev"`,
    nextPage === undefined ? undefined : `<${pageUrl(nextPage)}>; rel="next"`,
    `<${pageUrl(1)}>; rel="first"`,
    context.settings.omitPaginationTotals ? undefined : `<${pageUrl(totalPages)}>; rel="last"`,
  ].filter((link) => link !== undefined)

  const headers: Record<string, string> = {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': nextPage === undefined ? '' : String(nextPage),
    'x-prev-page': prevPage === undefined ? '' : String(prevPage),
    link: links.join(', '),
  }
  if (!context.settings.omitPaginationTotals) {
    headers['x-total'] = String(all.length)
    headers['x-total-pages'] = String(totalPages)
  }
  return { items, headers }
}
