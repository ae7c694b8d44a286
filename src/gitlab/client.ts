import { formatDuration } from '../config/duration.ts'
import type { GitLabHost } from '../config/host.ts'
import { ApiError, NetworkError } from '../errors.ts'
import { redact } from '../redact.ts'
import { encodeProjectId, encodeTriggerBody, normalizeProject, type TriggerParams } from './encode.ts'
import { explainApiFailure, explainNetworkFailure, explainTriggerFailure, retryAfterSeconds, type TokenKind } from './errors.ts'
import type { Pipeline } from './types.ts'

/** The part of `fetch` glt uses: the real one is undici's (proxy support), tests pass the global one. */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>

export interface FetchInit {
  method: string
  headers: Record<string, string>
  body?: string
  signal: AbortSignal
  redirect: 'manual'
}

export interface ResponseLike {
  status: number
  statusText: string
  headers: { get(name: string): string | null; forEach(callback: (value: string, key: string) => void): void }
  /** A web ReadableStream (undici, the global fetch) or a Node stream: both are async iterables. */
  body: AsyncIterable<Uint8Array> | null
}

export interface ClientConfig {
  host: GitLabHost
  fetch: FetchLike
  /** Whole request, answer included. */
  timeoutMs: number
  userAgent: string
  /** `--debug`: receives the HTTP exchange with every secret already redacted. */
  debug?: ((line: string) => void) | undefined
  /** Values never to print (tokens, `--var` values); the client adds each token it sends. */
  secrets?: Set<string>
  /** Ctrl-C: aborts the request in flight. */
  signal?: AbortSignal | undefined
  /** A bigger answer is cut off: GitLab's answers here are a few KiB, a proxy's can be anything. */
  maxBodyBytes?: number
  /** Waits between retries; rejects on Ctrl-C. Default: a plain timer. */
  sleep?: ((ms: number) => Promise<void>) | undefined
  /** Tells the user glt is retrying (stderr): a wait should never look like a hang. */
  notice?: ((line: string) => void) | undefined
}

export interface ApiResponse {
  status: number
  statusText: string
  headers: ResponseLike['headers']
  /** The parsed JSON body; undefined when the body was empty or not JSON. */
  data: unknown
  /** The body as text (at most maxBodyBytes). */
  text: string
  isJson: boolean
}

/** A credential for the API (not the trigger call): a personal access token or a CI job token. */
export interface ApiCredential {
  token: string
  kind: 'pat' | 'job'
}

export interface RequestOptions {
  method: string
  /** Below `/api/v4`, already encoded: `/projects/group%2Fproj/triggers`. */
  path: string
  query?: Record<string, string>
  auth?: ApiCredential
  body?: { contentType: string; text: string }
}

export interface TriggerRequest {
  project: string
  params: TriggerParams
  tokenKind: TokenKind
}

export type GitLabClient = ReturnType<typeof createGitLabClient>

const DEFAULT_MAX_BODY = 8 * 1024 * 1024

export function createGitLabClient(config: ClientConfig) {
  const secrets = config.secrets ?? new Set<string>()
  const trace = (line: string) => config.debug?.(redact(line, secrets))

  async function request(options: RequestOptions): Promise<ApiResponse> {
    const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : ''
    const url = `${config.host.baseUrl}/api/v4${options.path}${query}`
    const headers: Record<string, string> = { 'User-Agent': config.userAgent, Accept: 'application/json' }
    if (options.auth) {
      secrets.add(options.auth.token)
      headers[options.auth.kind === 'job' ? 'JOB-TOKEN' : 'PRIVATE-TOKEN'] = options.auth.token
    }
    if (options.body) headers['Content-Type'] = options.body.contentType

    const timeout = AbortSignal.timeout(config.timeoutMs)
    const signal = config.signal ? AbortSignal.any([timeout, config.signal]) : timeout
    const started = Date.now()
    traceRequest(options.method, url, headers, options.body)
    try {
      const init: FetchInit = { method: options.method, headers, signal, redirect: 'manual' }
      if (options.body) init.body = options.body.text
      const response = await config.fetch(url, init)
      const maxBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY
      const { text, truncated } = await readCapped(response, maxBytes)
      if (truncated) {
        trace(`< ${response.status} ${response.statusText}: answer cut off at ${maxBytes} bytes`)
        throw new ApiError(`${config.host.name} sent an answer larger than ${Math.round(maxBytes / 1048576)} MiB; glt stopped reading it`, response.status, {
          hint: 'GitLab never sends answers this large here: is --host right, or is a proxy in the way?',
          key: 'response-too-large',
        })
      }
      const contentType = response.headers.get('content-type') ?? ''
      let data: unknown
      let isJson = false
      if (/\bjson\b/i.test(contentType) && text !== '') {
        try {
          data = JSON.parse(text)
          isJson = true
        } catch {
          // Truncated or malformed JSON: callers treat it like any other non-JSON answer.
        }
      }
      trace(`< ${response.status} ${response.statusText} (${Date.now() - started} ms)`)
      response.headers.forEach((value, key) => trace(`< ${key}: ${value}`))
      if (text !== '') {
        const shown = redactTokenFields(text)
        trace(`< ${shown.length > 2000 ? `${shown.slice(0, 2000)}… (${text.length} characters)` : shown}`)
      }
      return { status: response.status, statusText: response.statusText, headers: response.headers, data, text, isJson }
    } catch (error) {
      if (error instanceof ApiError) throw error
      const timedOut = timeout.aborted
      const interrupted = config.signal?.aborted === true
      trace(`! ${describeCause(error)} after ${Date.now() - started} ms`)
      throw explainNetworkFailure(error, {
        host: config.host,
        method: options.method,
        timedOut,
        interrupted,
        timeout: formatDuration(config.timeoutMs),
      })
    }
  }

  function traceRequest(method: string, url: string, headers: Record<string, string>, body?: { contentType: string; text: string }) {
    if (!config.debug) return
    trace(`> ${method} ${url}`)
    for (const [name, value] of Object.entries(headers)) {
      trace(`> ${name}: ${/token|authorization/i.test(name) ? '[REDACTED]' : value}`)
    }
    if (body) trace(`> ${redactBody(body)}`)
  }

  return {
    host: config.host,
    request,

    /** `POST /projects/:id/trigger/pipeline`; the token goes in the body, never in the URL. */
    async triggerPipeline(trigger: TriggerRequest): Promise<Pipeline> {
      secrets.add(trigger.params.token)
      const path = `/projects/${encodeProjectId(trigger.project)}/trigger/pipeline`
      const body = encodeTriggerBody(trigger.params)
      // Retried only where GitLab cannot have created a pipeline: a refused connection (nothing was
      // sent) and 429 (refused before creating). After a 5xx, a reset or a time-out the pipeline may
      // exist, and a second one must not be started behind the user's back.
      const response = await withRetries(() => request({ method: 'POST', path, body }), { retryServerErrors: false, retryNetwork: isRefused })
      if (response.status === 201 && response.isJson) return response.data as Pipeline
      throw explainTriggerFailure(response, {
        host: config.host,
        project: normalizeProject(trigger.project),
        ref: trigger.params.ref,
        tokenKind: trigger.tokenKind,
      })
    },

    /** A GET, retried with backoff on 429, 5xx and network failures: reading twice changes nothing. */
    get,

    /**
     * A call whose failures are explained generically (401/403/404/429/5xx, non-JSON). GETs are
     * retried (see `get`).
     */
    async json<T>(options: RequestOptions, what: string): Promise<{ data: T; response: ApiResponse }> {
      const response = options.method === 'GET' ? await get(options) : await request(options)
      if (response.status >= 200 && response.status < 300 && (response.isJson || response.status === 204)) {
        return { data: response.data as T, response }
      }
      throw explainApiFailure(response, { host: config.host, what })
    },
  }

  function get(options: Omit<RequestOptions, 'method'>): Promise<ApiResponse> {
    return withRetries(() => request({ ...options, method: 'GET' }), { retryServerErrors: true, retryNetwork: isTransientNetwork })
  }

  async function withRetries(
    send: () => Promise<ApiResponse>,
    policy: { retryServerErrors: boolean; retryNetwork: (error: unknown) => boolean },
  ): Promise<ApiResponse> {
    const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
    for (let attempt = 1; ; attempt++) {
      const backoff = RETRY_BASE_MS * 2 ** (attempt - 1)
      let response: ApiResponse
      try {
        response = await send()
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !policy.retryNetwork(error)) throw error
        config.notice?.(`${(error as Error).message}; retrying in ${formatDuration(backoff)}`)
        await sleep(backoff)
        continue
      }
      const retryable = response.status === 429 || (policy.retryServerErrors && response.status >= 500)
      if (!retryable || attempt >= MAX_ATTEMPTS) return response
      const asked = response.status === 429 ? retryAfterSeconds(response.headers.get('retry-after')) : undefined
      const wait = asked === undefined ? backoff : asked * 1000
      // A long Retry-After is the user's call: report it rather than sit silent for minutes.
      if (wait > MAX_RETRY_WAIT_MS) return response
      config.notice?.(`GitLab answered ${response.status}; retrying in ${formatDuration(wait)}`)
      await sleep(wait)
    }
  }
}

const MAX_ATTEMPTS = 3
const RETRY_BASE_MS = 1000
const MAX_RETRY_WAIT_MS = 30_000

function isRefused(error: unknown): boolean {
  return error instanceof NetworkError && error.key === 'connection-refused'
}

/** Worth another try: not TLS (a certificate does not fix itself), not an interrupt. */
function isTransientNetwork(error: unknown): boolean {
  return error instanceof NetworkError && error.key !== 'tls'
}

/** Reads at most `limit` bytes: a misbehaving proxy must not make glt buffer without bound. */
async function readCapped(response: ResponseLike, limit: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false }
  const chunks: Uint8Array[] = []
  let size = 0
  const iterator = response.body[Symbol.asyncIterator]()
  for (;;) {
    const { done, value } = await iterator.next()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size > limit) {
      // Cancels (web stream) or destroys (Node stream) the rest; not awaited, as some sources
      // settle a cancel only once they stop producing.
      void iterator.return?.()?.catch(() => undefined)
      return { text: '', truncated: true }
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false }
}

/** Answers that carry a secret not yet known to glt (a new trigger token, a list of them) show it as [REDACTED] in --debug. */
function redactTokenFields(text: string): string {
  return text.replace(/("token"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"[REDACTED]"')
}

/** Form fields: the token and every variable or input value become [REDACTED]; names stay readable. */
function redactBody(body: { contentType: string; text: string }): string {
  if (body.contentType.includes('json')) {
    try {
      const parsed = JSON.parse(body.text) as Record<string, unknown>
      const hide = (value: unknown) =>
        value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).map((k) => [k, '[REDACTED]'])) : value
      return JSON.stringify({ ...parsed, token: '[REDACTED]', variables: hide(parsed.variables), inputs: hide(parsed.inputs) })
    } catch {
      return '[body]'
    }
  }
  const form = new URLSearchParams(body.text)
  const shown: string[] = []
  for (const [name, value] of form) {
    const secret = name === 'token' || name.startsWith('variables[') || name.startsWith('inputs[')
    shown.push(`${name}=${secret ? '[REDACTED]' : value}`)
  }
  return shown.join('&')
}

export function describeCause(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code
    parts.push(`${current.name}: ${current.message}${typeof code === 'string' ? ` (${code})` : ''}`)
    current = current.cause
  }
  return parts.join(' <- ') || String(error)
}
