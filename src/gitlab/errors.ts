import { hostArgument, type GitLabHost } from '../config/host.ts'
import { ApiError, AuthError, CancelledError, type GltError, NetworkError } from '../errors.ts'
import type { ApiResponse } from './client.ts'

/** What kind of token made the trigger call: the same 404 means different things for each. */
export type TokenKind = 'trigger' | 'job'

interface TriggerContext {
  host: GitLabHost
  project: string
  ref: string
  tokenKind: TokenKind
}

/** The trigger call's failures, explained: GitLab's own answers say almost nothing on purpose. */
export function explainTriggerFailure(response: ApiResponse, context: TriggerContext): GltError {
  const { host, project, ref } = context
  const settings = `${projectUrl(host, project)}/-/settings/ci_cd`
  if (response.status === 201 && !response.isJson) {
    // Created, then the answer was lost (a proxy cut it off): triggering again makes a second pipeline.
    return new ApiError(`GitLab created the pipeline (201 Created), but its answer was ${describeBody(response)}`, 201, {
      hint: `glt cannot tell which pipeline it is: see ${projectUrl(host, project)}/-/pipelines before triggering again.`,
      key: 'trigger-answer-unreadable',
    })
  }
  const shared = explainCommonFailure(response, host, 'POST')
  if (shared) return shared
  const message = errorMessage(response.data)
  switch (response.status) {
    case 404:
      // GitLab hides whether the project exists: a bad token, a token of another project, a wrong
      // project or host, and a personal access token all get this same bare 404.
      if (context.tokenKind === 'job') {
        return new AuthError(`GitLab answered 404: CI_JOB_TOKEN may not trigger pipelines in ${project} on ${host.name}`, {
          hint: `Add this job's project to the job token allowlist of ${project} (Settings > CI/CD > Job token permissions), or use a trigger token of ${project}.`,
          key: 'trigger-404-job-token',
        })
      }
      return new AuthError(`GitLab answered 404 Not Found: no project ${project} on ${host.name} accepts this trigger token`, {
        hint: `The token may be revoked or expired, belong to another project, or be a personal access token; check the project and host, and the trigger tokens at ${settings}.`,
        key: 'trigger-404',
      })
    case 400: {
      if (/reference not found/i.test(message)) {
        return new ApiError(`GitLab found no branch or tag named "${ref}" in ${project}`, 400, {
          hint: 'glt sent the ref exactly as given: check its spelling and case, and that the branch or tag has been pushed (a tag is given by its name, such as v1.2.0).',
          key: 'ref-not-found',
        })
      }
      if (/variables/i.test(message)) {
        return new ApiError(`GitLab rejected the variables: ${message}`, 400, {
          hint: 'Give each variable as --var KEY=VALUE with a string value.',
          key: 'variables-invalid',
        })
      }
      if (/input/i.test(message)) {
        return new ApiError(`GitLab rejected the pipeline inputs: ${message}`, 400, {
          hint: `Check each --input's name and type against the spec:inputs of ${project}'s CI configuration (inputs need GitLab 18.1 or later).`,
          key: 'inputs-invalid',
        })
      }
      return new ApiError(`GitLab did not create the pipeline: ${message || '400 Bad Request'}`, 400, {
        hint: `Check ${project}'s CI configuration and its rules for triggered pipelines (CI_PIPELINE_SOURCE == "trigger") on ref ${ref}.`,
        key: 'pipeline-not-created',
      })
    }
    case 401:
      return new AuthError(`GitLab rejected the ${context.tokenKind === 'job' ? 'CI job token' : 'trigger token'} (401 Unauthorized)${message ? `: ${message}` : ''}`, {
        hint:
          context.tokenKind === 'job'
            ? 'A job token is valid only while its job runs, and only for projects whose allowlist admits it.'
            : `Check the token at ${settings}, or create a new one with glt tokens create.`,
        key: 'trigger-401',
      })
    case 403:
      return new AuthError(`GitLab refused to create the pipeline (403 Forbidden)${message && message !== '403 Forbidden' ? `: ${message}` : ''}`, {
        hint: `The token's owner may not be allowed to run pipelines for ${ref} (a protected branch?), or pipelines are disabled in ${project}.`,
        key: 'trigger-403',
      })
    default:
      return unexpectedStatus(response, host)
  }
}

/** Failures of the other API calls (token management, whoami, pipelines). */
export function explainApiFailure(response: ApiResponse, context: { host: GitLabHost; what: string }): GltError {
  const { host, what } = context
  const shared = explainCommonFailure(response, host, 'GET')
  if (shared) return shared
  const message = errorMessage(response.data)
  switch (response.status) {
    case 401:
      return new AuthError(`GitLab rejected the token while ${what} (401 Unauthorized)`, {
        hint: `The token may be revoked or expired: set GITLAB_TOKEN or run glt login --host ${hostArgument(host)}.`,
        key: 'unauthorized',
      })
    case 403:
      if (/insufficient_scope/.test(response.text)) {
        return new AuthError(`the token's scopes do not allow ${what} (403 insufficient_scope)`, {
          hint: 'Use a personal access token with the api scope.',
          key: 'insufficient-scope',
        })
      }
      return new AuthError(`GitLab refused ${what} (403 Forbidden)`, {
        hint: 'Managing trigger tokens needs the Maintainer or Owner role in the project.',
        key: 'forbidden',
      })
    case 404:
      return new ApiError(`GitLab answered 404 while ${what}${message && message !== '404 Not Found' ? ` (${message})` : ''}`, 404, {
        hint: `Check the project ID or path and the host (${host.name}); GitLab also answers 404 for projects you cannot see.`,
        key: 'not-found',
      })
    default:
      if (response.status === 400) {
        return new ApiError(`GitLab rejected the request while ${what}: ${message || '400 Bad Request'}`, 400, { key: 'bad-request' })
      }
      return unexpectedStatus(response, host)
  }
}

/** Answers that mean the same whatever was asked: redirects, rate limits, server errors, non-JSON. */
function explainCommonFailure(response: ApiResponse, host: GitLabHost, method: string): GltError | undefined {
  const { status } = response
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location') ?? 'elsewhere'
    const target = safeOrigin(location)
    return new ApiError(`${host.name} answered ${status} with a redirect to ${target}; glt does not follow redirects`, status, {
      hint: `Redirects could carry the token to another host: if ${target} is your GitLab, pass --host ${target}.`,
      key: 'redirect',
    })
  }
  if (status === 429) {
    const wait = retryAfterSeconds(response.headers.get('retry-after'))
    return new ApiError(`GitLab is rate limiting requests (429 Too Many Requests)`, status, {
      hint: wait === undefined ? 'Wait a minute before retrying.' : `Retry in ${wait} second${wait === 1 ? '' : 's'}.`,
      key: 'rate-limited',
    })
  }
  if (status >= 500) {
    return new ApiError(`GitLab at ${host.name} failed with ${status} ${response.statusText}`.trim(), status, {
      hint:
        method === 'POST'
          ? 'This is on the server side; the pipeline may have been created anyway, so check the project\'s pipelines before retrying.'
          : 'This is on the server side; retry in a moment.',
      key: 'server-error',
    })
  }
  if (!response.isJson && status !== 204) {
    return new ApiError(`${host.name} answered ${status} with ${describeBody(response)}, not GitLab's JSON`, status, {
      hint: `Is --host right? ${host.baseUrl} should be the GitLab instance itself (a proxy or login page may be in the way).`,
      key: 'not-json',
    })
  }
  return undefined
}

function unexpectedStatus(response: ApiResponse, host: GitLabHost): GltError {
  const message = errorMessage(response.data)
  return new ApiError(`GitLab at ${host.name} answered ${response.status} ${response.statusText}${message ? `: ${message}` : ''}`, response.status, {
    key: 'unexpected-status',
  })
}

export interface NetworkContext {
  host: GitLabHost
  method: string
  timedOut: boolean
  interrupted: boolean
  timeout: string
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/

/** undici hides the real reason behind `TypeError: fetch failed`; its `cause` chain says what happened. */
export function explainNetworkFailure(error: unknown, context: NetworkContext): GltError {
  const { host } = context
  if (context.interrupted) return new CancelledError('interrupted', { cause: error, key: 'cancelled' })
  const code = findErrorCode(error)
  if (context.timedOut || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ETIMEDOUT') {
    return new NetworkError(`no answer from ${host.name} within ${context.timeout}`, {
      cause: error,
      hint: `Check the host and any proxy (HTTPS_PROXY), or allow longer with --timeout 2m.${context.method === 'POST' ? ' The pipeline may have been created: check before retrying.' : ''}`,
      key: 'timeout',
    })
  }
  if (code === 'ECONNREFUSED') {
    return new NetworkError(`could not connect to ${host.name}: connection refused`, {
      cause: error,
      hint: `Is ${host.baseUrl} the right GitLab (--host, GITLAB_HOST), and is it up?`,
      key: 'connection-refused',
    })
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new NetworkError(`could not resolve ${host.hostname}`, {
      cause: error,
      hint: 'Check the host name (--host, GITLAB_HOST), and your network, DNS or VPN.',
      key: 'dns',
    })
  }
  if (code === 'EPROTO' && host.baseUrl.startsWith('https:')) {
    // OpenSSL's "wrong version number": the server answered the TLS hello in plain text.
    return new NetworkError(`${host.name} does not speak TLS: is it a plain http server?`, {
      cause: error,
      hint: `A bare host name means https. For plain http give --host http://${host.name} (glt sends a token over http only to loopback addresses, or with GLT_ALLOW_HTTP=1).`,
      key: 'tls',
    })
  }
  if (code !== undefined && TLS_CODES.test(code)) {
    return new NetworkError(`TLS error talking to ${host.name}: ${tlsReason(code)}`, {
      cause: error,
      hint: 'If the server uses a private certificate authority, set NODE_EXTRA_CA_CERTS to its CA certificate file (PEM).',
      key: 'tls',
    })
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || isTerminated(error)) {
    return new NetworkError(`the connection to ${host.name} closed before GitLab's answer was complete`, {
      cause: error,
      hint:
        context.method === 'POST'
          ? 'The pipeline may have been created: check the project\'s pipelines before retrying.'
          : 'Retry in a moment; if it keeps happening, check any proxy in between.',
      key: 'connection-reset',
    })
  }
  return new NetworkError(`network error talking to ${host.name}${code ? ` (${code})` : ''}`, {
    cause: error,
    hint: 'Check your connection and proxy settings (HTTPS_PROXY, NO_PROXY); rerun with --debug for details.',
    key: 'network',
  })
}

function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'ABORT_ERR') return code
    // Happy eyeballs: an AggregateError of one error per address tried.
    const errors = (current as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.length > 0) {
      current = errors[0]
      continue
    }
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function isTerminated(error: unknown): boolean {
  return error instanceof Error && (error.message === 'terminated' || /other side closed|socket hang up/i.test(String(error.cause)))
}

function tlsReason(code: string): string {
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/.test(code)) return `the certificate is not signed by a trusted authority (${code})`
  if (code === 'CERT_HAS_EXPIRED') return 'the certificate has expired'
  if (/ALTNAME|HOSTNAME/.test(code)) return `the certificate is for another host name (${code})`
  return code
}

/** GitLab's error shapes: `{"message": "..."}`, `{"message": {"base": [...]}}`, `{"error": "..."}`. */
export function errorMessage(data: unknown): string {
  if (data === null || typeof data !== 'object') return ''
  const { message, error } = data as { message?: unknown; error?: unknown }
  if (typeof message === 'string') return message
  if (message && typeof message === 'object') {
    return Object.entries(message)
      .flatMap(([field, value]) => (Array.isArray(value) ? value : [value]).map((v) => (field === 'base' ? String(v) : `${field} ${String(v)}`)))
      .join('; ')
  }
  if (typeof error === 'string') return error
  return ''
}

/** `Retry-After` is seconds or an HTTP date. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

function describeBody(response: ApiResponse): string {
  const type = response.headers.get('content-type') ?? ''
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(response.text)) return 'an HTML page'
  if (response.text === '') return 'an empty body'
  if (/json/i.test(type)) return 'malformed or truncated JSON'
  return `${type.split(';')[0] || 'unknown content'}`
}

function safeOrigin(location: string): string {
  try {
    return new URL(location).origin
  } catch {
    return 'another location'
  }
}

function projectUrl(host: GitLabHost, project: string): string {
  return /^\d+$/.test(project) ? `${host.baseUrl}/projects/${project}` : `${host.baseUrl}/${project}`
}
