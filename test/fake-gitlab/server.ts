import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { FaultQueue, faultRunsRoute, writeApiResponse, writeFault } from './faults.ts'
import type { Fault, FaultTarget } from './faults.ts'
import type { RecordedRequest } from './recorded-request.ts'
import { mediaTypeOf, parseParameters } from './request-params.ts'
import { matchRoute, runHandler } from './routes.ts'
import type { ApiResponse, RouteContext, RouteMatch, ServerSettings } from './routes.ts'
import { GitLabState } from './state.ts'
import type {
  FakeJobToken,
  FakePat,
  FakePipeline,
  FakeProject,
  FakeTrigger,
  FakeUser,
  JobScript,
  JobTokenInit,
  PatInit,
  ProjectInit,
  TriggerInit,
  UserInit,
} from './state.ts'

export type { Fault, FaultTarget } from './faults.ts'
export type { RecordedRequest, RequestParams } from './recorded-request.ts'
export type { ApiResponse, RouteName, ServerSettings } from './routes.ts'
export type {
  FakeJob,
  FakeJobToken,
  FakePat,
  FakePipeline,
  FakeProject,
  FakeTrigger,
  FakeUser,
  JobScript,
  JobTokenInit,
  PatInit,
  PipelineScript,
  ProjectInit,
  Role,
  TriggerInit,
  UserInit,
  Visibility,
} from './state.ts'

export interface FakeGitLabOptions {
  /** PEM key and certificate: serve https instead of http. */
  tls?: { key: string; cert: string }
  /** Default 0: any free port. */
  port?: number
  /** Called once each request has been answered (or its connection cut), e.g. to log it. */
  onRequest?: (request: RecordedRequest) => void
}

/** A GitLab stand-in on 127.0.0.1 that answers the trigger, trigger tokens and pipelines APIs as GitLab does. */
export interface FakeGitLab {
  /** `http://127.0.0.1:<port>` (https with `tls`), without a trailing slash. The API is at `${url}/api/v4`. */
  readonly url: string
  /** Every request received, in order, including those a fault answered. */
  readonly requests: RecordedRequest[]
  /** Every pipeline created, in order: count them to prove a retry did not trigger twice. */
  readonly pipelines: FakePipeline[]
  /** The live trigger tokens of all projects; revoked ones are removed. */
  readonly triggers: FakeTrigger[]
  /** Mutable knobs: the reported version, whether pagination totals are sent. */
  readonly settings: ServerSettings
  addProject(project: ProjectInit): FakeProject
  addUser(user: UserInit): FakeUser
  addPersonalAccessToken(userId: number, pat: PatInit): FakePat
  addTrigger(projectId: number, trigger: TriggerInit): FakeTrigger
  addJobToken(token: string, jobToken: JobTokenInit): FakeJobToken
  /**
   * What the project's pipelines created from now on go through: the trigger answers `created`, then
   * each GET of the pipeline shows the next of `statuses` (the last one stays). Jobs without a status
   * follow the pipeline; a status list is walked in step with it. Default: pending, running, success.
   */
  pipelineScript(projectId: number, statuses: string[], jobs?: JobScript[]): void
  /** Makes the next matching request (or `times` of them) misbehave instead of being answered normally. */
  inject(target: FaultTarget, fault: Fault): void
  /** Stops listening and cuts every connection, keep-alive ones included. */
  close(): Promise<void>
}

export async function startFakeGitLab(options: FakeGitLabOptions = {}): Promise<FakeGitLab> {
  const state = new GitLabState()
  const faults = new FaultQueue()
  const requests: RecordedRequest[] = []
  const settings: ServerSettings = { version: '18.2.1', revision: '2c4b7a5e1f0', omitPaginationTotals: false }
  const sockets = new Set<Socket>()
  let baseUrl = ''

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    answer(req, res).catch((error: unknown) => {
      // A bug in the fake itself: say so loudly rather than leave the client hanging.
      console.error('fake GitLab failed:', error)
      if (!res.headersSent) writeApiResponse(res, { status: 500, body: { message: '500 Internal Server Error' } })
      else res.destroy()
    })
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    if (body === undefined) return
    const { request, route } = recordRequest(req, body)
    requests.push(request)
    res.once('close', () => options.onRequest?.(request))

    const context: RouteContext = { request, pathParams: route.pathParams, state, settings, baseUrl }
    const fault = faults.take(request)
    const routeAnswer: ApiResponse | undefined = !fault || faultRunsRoute(fault) ? runHandler(route, context) : undefined
    setCommonHeaders(res)

    if (!fault) {
      request.status = writeApiResponse(res, routeAnswer as ApiResponse)
      return
    }
    request.fault = fault
    const status = await writeFault(res, fault, routeAnswer)
    if (status !== undefined) request.status = status
  }

  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : http.createServer(onRequest)
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`

  return {
    url: baseUrl,
    requests,
    pipelines: state.pipelines,
    triggers: state.triggers,
    settings,
    addProject: (project) => state.addProject(project),
    addUser: (user) => state.addUser(user),
    addPersonalAccessToken: (userId, pat) => state.addPersonalAccessToken(userId, pat),
    addTrigger: (projectId, trigger) => state.addTrigger(projectId, trigger),
    addJobToken: (token, jobToken) => state.addJobToken(token, jobToken),
    pipelineScript: (projectId, statuses, jobs) => state.setPipelineScript(projectId, statuses, jobs),
    inject: (target, fault) => faults.add(target, fault),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}

/** The whole body, or undefined if the client went away first. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer)
  } catch {
    return undefined
  }
  return Buffer.concat(chunks)
}

function recordRequest(req: IncomingMessage, body: Buffer): { request: RecordedRequest; route: RouteMatch } {
  // req.url is the request target exactly as sent: Node decodes nothing, so `%2F` stays `%2F`.
  const rawPath = req.url ?? '/'
  const queryStart = rawPath.indexOf('?')
  const path = queryStart === -1 ? rawPath : rawPath.slice(0, queryStart)
  const rawQuery = queryStart === -1 ? '' : rawPath.slice(queryStart + 1)
  const method = req.method ?? 'GET'
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  const parsed = parseParameters(rawQuery, body, headers['content-type'], method)
  const route = matchRoute(method, path)

  const request: RecordedRequest = {
    method,
    rawPath,
    path,
    query: Object.fromEntries(new URLSearchParams(rawQuery)),
    headers,
    bodyText: body.toString('utf8'),
    contentType: mediaTypeOf(headers['content-type']),
    fields: parsed.fields,
    fieldEntries: parsed.fieldEntries,
    params: parsed.params,
    route: route.name,
    pathParams: route.pathParams,
  }
  if (parsed.bodyError !== undefined) request.bodyError = parsed.bodyError
  return { request, route }
}

function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('x-request-id', randomUUID().replaceAll('-', '').slice(0, 26).toUpperCase())
  res.setHeader('cache-control', 'max-age=0, private, must-revalidate')
  res.setHeader('x-content-type-options', 'nosniff')
}
