import { ApiError, type GltError } from '../errors.ts'
import type { ApiCredential, GitLabClient } from './client.ts'
import { encodeProjectId } from './encode.ts'
import { explainApiFailure, retryAfterSeconds } from './errors.ts'
import type { Job, Pipeline } from './types.ts'

/** Finished for good: GitLab will not change these by itself. */
export const FINISHED_STATUSES = new Set(['success', 'failed', 'canceled', 'skipped'])

/** The pipeline and its jobs at one poll. */
export interface PipelineSnapshot {
  pipeline: Pipeline
  /** Undefined when the credential may read the pipeline but not its jobs. */
  jobs: Job[] | undefined
}

export type WatchResult = { kind: 'finished' | 'manual'; snapshot: PipelineSnapshot } | { kind: 'timeout'; snapshot: PipelineSnapshot | undefined }

export interface WatchOptions {
  client: GitLabClient
  credential: ApiCredential
  project: string
  pipelineId: number
  /** Never poll faster than this. */
  intervalMs: number
  /** Epoch milliseconds; undefined: wait as long as it takes. */
  deadline?: number | undefined
  now(): number
  /** Waits, or rejects with CancelledError when interrupted. */
  sleep(ms: number): Promise<void>
  onSnapshot(snapshot: PipelineSnapshot): void
  /** A poll failed in a way worth retrying; the next try is in `delayMs`. */
  onRetry?(reason: string, delayMs: number): void
}

/** Longest pause between polls after repeated transient failures. */
const MAX_BACKOFF_MS = 60_000

/**
 * Polls exactly this pipeline (by ID, never "the latest of the branch") until it finishes, waits
 * for a person (`manual`), or the deadline passes. 429, 5xx and network failures are retried with
 * backoff until the deadline; anything else (401, 403, 404) ends the wait with its error.
 */
export async function watchPipeline(options: WatchOptions): Promise<WatchResult> {
  let delay = 0 // the first look right after triggering
  let failures = 0
  let last: PipelineSnapshot | undefined
  for (;;) {
    if (options.deadline !== undefined && options.now() + delay >= options.deadline) {
      await options.sleep(Math.max(0, options.deadline - options.now()))
      return { kind: 'timeout', snapshot: last }
    }
    await options.sleep(delay)
    const polled = await pollOnce(options)
    if ('retryInMs' in polled) {
      failures++
      // Doubling from one interval: 5s, 10s, 20s... up to a minute, or what Retry-After asks.
      delay = Math.max(options.intervalMs, polled.retryInMs ?? Math.min(options.intervalMs * 2 ** (failures - 1), MAX_BACKOFF_MS))
      options.onRetry?.(polled.reason, delay)
      continue
    }
    failures = 0
    last = polled
    options.onSnapshot(polled)
    if (FINISHED_STATUSES.has(polled.pipeline.status)) return { kind: 'finished', snapshot: polled }
    if (polled.pipeline.status === 'manual') return { kind: 'manual', snapshot: polled }
    delay = options.intervalMs
  }
}

type PollOutcome = PipelineSnapshot | { retryInMs: number | undefined; reason: string }

async function pollOnce(options: WatchOptions): Promise<PollOutcome> {
  const path = `/projects/${encodeProjectId(options.project)}/pipelines/${options.pipelineId}`
  try {
    const response = await options.client.request({ method: 'GET', path, auth: options.credential })
    const transient = transientFailure(response.status, response.headers.get('retry-after'))
    if (transient) return transient
    if (response.status !== 200 || !response.isJson) {
      throw explainApiFailure(response, { host: options.client.host, what: `reading pipeline #${options.pipelineId}` })
    }
    return { pipeline: response.data as Pipeline, jobs: await listJobs(options, `${path}/jobs`) }
  } catch (error) {
    if (isTransientError(error)) return { retryInMs: undefined, reason: (error as GltError).message }
    throw error
  }
}

/** All jobs of the pipeline, following pagination; undefined when the credential may not list them. */
async function listJobs(options: WatchOptions, path: string): Promise<Job[] | undefined> {
  const jobs: Job[] = []
  let page = '1'
  for (let pages = 0; page !== '' && pages < 50; pages++) {
    const response = await options.client.request({ method: 'GET', path, query: { per_page: '100', page }, auth: options.credential })
    if (response.status === 401 || response.status === 403 || response.status === 404) return undefined
    const transient = transientFailure(response.status, response.headers.get('retry-after'))
    if (transient) throw new ApiError(transient.reason, response.status, { key: 'server-error' })
    if (response.status !== 200 || !Array.isArray(response.data)) {
      throw explainApiFailure(response, { host: options.client.host, what: `listing the jobs of pipeline #${options.pipelineId}` })
    }
    jobs.push(...(response.data as Job[]))
    page = response.headers.get('x-next-page') ?? ''
  }
  return jobs
}

function transientFailure(status: number, retryAfter: string | null): { retryInMs: number | undefined; reason: string } | undefined {
  if (status === 429) {
    const seconds = retryAfterSeconds(retryAfter)
    return { retryInMs: seconds === undefined ? undefined : seconds * 1000, reason: 'GitLab is rate limiting requests (429)' }
  }
  if (status >= 500) return { retryInMs: undefined, reason: `GitLab answered ${status}` }
  return undefined
}

function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error.name === 'NetworkError') return true
  return error instanceof ApiError && (error.status === 429 || error.status >= 500)
}

/** `POST /projects/:id/pipelines/:pipeline_id/cancel`: needs the api scope. */
export async function cancelPipeline(client: GitLabClient, credential: ApiCredential, project: string, pipelineId: number): Promise<Pipeline> {
  const { data } = await client.json<Pipeline>(
    { method: 'POST', path: `/projects/${encodeProjectId(project)}/pipelines/${pipelineId}/cancel`, auth: credential },
    `cancelling pipeline #${pipelineId}`,
  )
  return data
}

/** Counts jobs per status, most advanced first, for "3 running, 2 pending". */
export function countJobs(jobs: readonly Job[]): [string, number][] {
  const order = ['failed', 'running', 'pending', 'created', 'waiting_for_resource', 'preparing', 'scheduled', 'manual', 'success', 'canceled', 'skipped']
  const counts = new Map<string, number>()
  for (const job of jobs) counts.set(job.status, (counts.get(job.status) ?? 0) + 1)
  return [...counts].sort(([a], [b]) => rank(order, a) - rank(order, b))
}

function rank(order: string[], status: string): number {
  const index = order.indexOf(status)
  return index === -1 ? order.length : index
}
