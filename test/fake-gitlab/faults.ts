import { STATUS_CODES } from 'node:http'
import type { ServerResponse } from 'node:http'
import { Readable, pipeline } from 'node:stream'
import type { RecordedRequest } from './recorded-request.ts'
import type { ApiResponse, RouteName } from './routes.ts'

interface FaultOptions {
  /** How many matching requests this fault answers: default 1; `Infinity` for all. */
  times?: number
  /** Wait this long before sending anything; combines with any fault, or stands alone. */
  delayHeadersMs?: number
  /**
   * For faults that replace the answer (status, html, redirect, huge body, destroy): whether the real
   * route runs first, changing state (a pipeline gets created) before its answer is lost. Default: true
   * for `destroyBeforeResponse`, false for the others. Delays, resets and truncations always run the route.
   */
  handled?: boolean
}

/** A way for the fake to misbehave on a request; see `FakeGitLab.inject`. */
export type Fault = FaultOptions &
  (
    | { status: number; body?: unknown; headers?: Record<string, string>; retryAfter?: number }
    | { html: true }
    | { redirectTo: string; status?: 301 | 302 | 303 | 307 | 308 }
    | { hugeBodyBytes: number; chunked?: boolean }
    | { truncateJson: true }
    | { resetAfterHeaders: true }
    | { destroyBeforeResponse: true }
    | { delayHeadersMs: number }
  )

/** Which requests a fault applies to: a route name, `'*'` for any, or a predicate. */
export type FaultTarget = RouteName | '*' | ((request: RecordedRequest) => boolean)

type FaultKind = 'destroy' | 'reset' | 'truncate' | 'huge' | 'redirect' | 'html' | 'status' | 'delay'

export function faultKind(fault: Fault): FaultKind {
  if ('destroyBeforeResponse' in fault) return 'destroy'
  if ('resetAfterHeaders' in fault) return 'reset'
  if ('truncateJson' in fault) return 'truncate'
  if ('hugeBodyBytes' in fault) return 'huge'
  if ('redirectTo' in fault) return 'redirect'
  if ('html' in fault) return 'html'
  if ('status' in fault) return 'status'
  return 'delay'
}

/** Whether the real route handler runs before this fault answers. */
export function faultRunsRoute(fault: Fault): boolean {
  const kind = faultKind(fault)
  if (kind === 'delay' || kind === 'reset' || kind === 'truncate') return true
  return fault.handled ?? kind === 'destroy'
}

export class FaultQueue {
  private readonly pending: Array<{ target: FaultTarget; fault: Fault; remaining: number }> = []

  add(target: FaultTarget, fault: Fault): void {
    this.pending.push({ target, fault, remaining: fault.times ?? 1 })
  }

  /** The first fault still pending for this request, used up by one. */
  take(request: RecordedRequest): Fault | undefined {
    const entry = this.pending.find(({ target, remaining }) => remaining > 0 && matches(target, request))
    if (!entry) return undefined
    entry.remaining--
    return entry.fault
  }
}

function matches(target: FaultTarget, request: RecordedRequest): boolean {
  if (typeof target === 'function') return target(request)
  return target === '*' || target === request.route
}

/** Sends a route's answer as JSON. Returns the status sent. */
export function writeApiResponse(res: ServerResponse, response: ApiResponse): number {
  const body = response.body === undefined ? '' : JSON.stringify(response.body)
  writeText(res, response.status, body === '' ? undefined : 'application/json', body, response.headers)
  return response.status
}

/**
 * Answers with `fault`, spoiling `routeAnswer` (the real answer, when the route ran) if the fault needs it.
 * Resolves to the status sent, or undefined when the connection was cut before any headers.
 */
export async function writeFault(
  res: ServerResponse,
  fault: Fault,
  routeAnswer: ApiResponse | undefined,
): Promise<number | undefined> {
  if (fault.delayHeadersMs !== undefined && !(await waitUnlessClosed(res, fault.delayHeadersMs))) return undefined
  const answer = routeAnswer ?? { status: 500, body: { message: '500 Internal Server Error' } }

  if ('destroyBeforeResponse' in fault) {
    res.destroy()
    return undefined
  }
  if ('resetAfterHeaders' in fault) {
    const body = Buffer.from(answer.body === undefined ? '' : JSON.stringify(answer.body))
    res.writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json', 'content-length': body.length })
    res.flushHeaders()
    // Half the promised body, then the connection goes: the client sees the headers, then an error mid-body.
    const half = body.subarray(0, Math.floor(body.length / 2))
    if (half.length > 0) res.write(half, () => res.destroy())
    else setImmediate(() => res.destroy())
    return answer.status
  }
  if ('truncateJson' in fault) {
    const json = JSON.stringify(answer.body ?? {})
    writeText(res, answer.status, 'application/json', json.slice(0, Math.max(1, Math.floor(json.length / 2))), answer.headers)
    return answer.status
  }
  if ('hugeBodyBytes' in fault) {
    const length = fault.chunked === true ? {} : { 'content-length': fault.hugeBodyBytes }
    res.writeHead(200, { 'content-type': 'application/json', ...length })
    pipeline(Readable.from(hugeJson(fault.hugeBodyBytes)), res, () => undefined)
    return 200
  }
  if ('redirectTo' in fault) {
    const status = fault.status ?? 302
    const body = `<html><body>You are being <a href="${fault.redirectTo}">redirected</a>.</body></html>`
    writeText(res, status, 'text/html; charset=utf-8', body, { location: fault.redirectTo })
    return status
  }
  if ('html' in fault) {
    writeText(res, 200, 'text/html; charset=utf-8', SIGN_IN_PAGE)
    return 200
  }
  if ('status' in fault) {
    const body = fault.body ?? { message: `${fault.status} ${STATUS_CODES[fault.status] ?? 'Error'}` }
    const headers = { ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }), ...fault.headers }
    if (typeof body === 'string') writeText(res, fault.status, 'text/plain; charset=utf-8', body, headers)
    else writeText(res, fault.status, 'application/json', JSON.stringify(body), headers)
    return fault.status
  }
  return writeApiResponse(res, answer)
}

function writeText(
  res: ServerResponse,
  status: number,
  contentType: string | undefined,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...(contentType === undefined ? {} : { 'content-type': contentType }),
    'content-length': Buffer.byteLength(body),
    ...headers,
  })
  res.end(body)
}

/** Resolves true after `ms`, or false as soon as the client goes away. */
function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      res.off('close', onClose)
      resolve(true)
    }, ms)
    res.once('close', onClose)
  })
}

/** Exactly `bytes` bytes of something that starts like a JSON array, produced as the client reads. */
function* hugeJson(bytes: number): Generator<Buffer> {
  const record = '{"id":1,"token":"glpt","description":"padding","last_used":null,"expires_at":null},'
  const block = Buffer.from(record.repeat(Math.ceil(65_536 / record.length)))
  let left = bytes
  if (left > 0) {
    yield Buffer.from('[')
    left--
  }
  while (left > 0) {
    const piece = block.subarray(0, Math.min(left, block.length))
    left -= piece.length
    yield piece
  }
}

const SIGN_IN_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in · GitLab</title></head>
<body>
<main>
<h1>GitLab</h1>
<form class="new_user" action="/users/sign_in" accept-charset="UTF-8" method="post">
<input type="text" name="user[login]" id="user_login" autocomplete="username">
<input type="password" name="user[password]" id="user_password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`
