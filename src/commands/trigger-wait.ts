import type { ResolvedApiToken } from '../auth/api-token.ts'
import { isGitLabCI } from '../config/env.ts'
import { formatDuration } from '../config/duration.ts'
import type { GitLabHost } from '../config/host.ts'
import type { Deps } from '../deps.ts'
import { CancelledError, GltError, PipelineFailedError, UsageError, WaitTimeoutError } from '../errors.ts'
import { cancelPipeline, countJobs, watchPipeline, type PipelineSnapshot, type WatchResult } from '../gitlab/pipelines.ts'
import type { Job, Pipeline } from '../gitlab/types.ts'
import { startSpinner, type Spinner } from '../ui/io.ts'

export interface WaitOptions {
  host: GitLabHost
  project: string
  intervalMs: number
  /** Epoch milliseconds after which glt stops waiting; undefined: no limit. */
  deadline: number | undefined
  timeoutText: string | undefined
  /** `pass`: a pipeline waiting for a manual job counts as done. */
  manual: 'fail' | 'pass'
  cancelOnInterrupt: boolean
  cancelOnTimeout: boolean
  dotenvPath: string | undefined
  requestTimeoutMs: number
}

export type WaitDeps = Pick<Deps, 'io' | 'env' | 'gitlab' | 'sleep' | 'now'>

/**
 * Follows the pipeline glt just created to its end and reports as it goes: a spinner in a terminal,
 * one timestamped line per change elsewhere, inside a collapsible section in GitLab CI.
 * Returns the final pipeline on success; throws PipelineFailedError (4), WaitTimeoutError (5) or
 * CancelledError (130) otherwise.
 */
export async function followPipeline(created: Pipeline, credential: ResolvedApiToken, options: WaitOptions, deps: WaitDeps): Promise<Pipeline> {
  const { io } = deps
  const client = deps.gitlab(options.host, { timeoutMs: options.requestTimeoutMs, secrets: [credential.token] })
  const report = createReporter(created, deps)
  let last: PipelineSnapshot = { pipeline: created, jobs: undefined }
  let result: WatchResult
  try {
    result = await watchPipeline({
      client,
      credential,
      project: options.project,
      pipelineId: created.id,
      intervalMs: options.intervalMs,
      deadline: options.deadline,
      now: () => deps.now().getTime(),
      sleep: deps.sleep,
      onSnapshot: (snapshot) => {
        last = snapshot
        report.snapshot(snapshot)
      },
      onRetry: (reason, delayMs) => report.note(`${reason}; retrying in ${formatDuration(delayMs)}`),
    })
  } catch (error) {
    report.end()
    await writeDotenv(options.dotenvPath, last.pipeline, deps)
    if (error instanceof CancelledError) throw await interrupted(last.pipeline, credential, options, deps)
    throw error
  }
  report.end()
  const final = result.snapshot ?? last
  await writeDotenv(options.dotenvPath, final.pipeline, deps)
  const { pipeline, jobs } = final

  if (result.kind === 'timeout') {
    const cancelled = options.cancelOnTimeout && (await tryCancel(pipeline, credential, options, deps))
    throw new WaitTimeoutError(`pipeline #${pipeline.id} did not finish within ${options.timeoutText ?? 'the time-out'} (last status: ${pipeline.status})`, {
      hint: cancelled ? 'glt cancelled it.' : `It goes on without glt: ${pipeline.web_url}${options.cancelOnTimeout ? '' : ' (--cancel-on-timeout cancels it instead)'}`,
      key: 'wait-timeout',
    })
  }
  if (result.kind === 'manual') {
    const waiting = (jobs ?? []).filter((job) => job.status === 'manual')
    const which = waiting.length > 0 ? waiting.map((job) => `"${job.name}" (stage ${job.stage})`).join(', ') : 'a manual job'
    if (options.manual === 'pass') {
      io.stderr.write(`${io.err.green('✓')} Pipeline #${pipeline.id} is waiting for ${which}; --manual pass counts that as done\n`)
      return pipeline
    }
    throw new PipelineFailedError(`pipeline #${pipeline.id} is waiting for ${which} to be started by a person`, {
      hint: `Start it at ${waiting[0]?.web_url ?? pipeline.web_url}, or pass --manual pass to let glt succeed here.`,
      key: 'pipeline-manual',
    })
  }
  if (pipeline.status === 'success') {
    io.stderr.write(`${io.err.green('✓')} Pipeline #${pipeline.id} succeeded\n`)
    return pipeline
  }
  writeFailedJobs(jobs, deps)
  throw new PipelineFailedError(`pipeline #${pipeline.id} ${pipeline.status === 'canceled' ? 'was canceled' : pipeline.status === 'skipped' ? 'was skipped' : 'failed'}`, {
    hint: `See ${pipeline.web_url}`,
    key: 'pipeline-failed',
  })
}

function writeFailedJobs(jobs: Job[] | undefined, deps: WaitDeps) {
  const { io } = deps
  for (const job of (jobs ?? []).filter((j) => j.status === 'failed')) {
    io.stderr.write(`  ${io.err.red('✗')} ${job.name} (${job.stage}): ${job.web_url}\n`)
  }
}

async function interrupted(pipeline: Pipeline, credential: ResolvedApiToken, options: WaitOptions, deps: WaitDeps): Promise<GltError> {
  if (options.cancelOnInterrupt && (await tryCancel(pipeline, credential, options, deps))) {
    return new CancelledError(`interrupted; pipeline #${pipeline.id} was cancelled`, { key: 'cancelled' })
  }
  return new CancelledError(`interrupted; pipeline #${pipeline.id} goes on without glt`, {
    hint: `Follow it at ${pipeline.web_url}`,
    key: 'cancelled',
  })
}

async function tryCancel(pipeline: Pipeline, credential: ResolvedApiToken, options: WaitOptions, deps: WaitDeps): Promise<boolean> {
  const client = deps.gitlab(options.host, { timeoutMs: options.requestTimeoutMs, secrets: [credential.token], uninterruptible: true })
  try {
    await cancelPipeline(client, credential, options.project, pipeline.id)
    deps.io.stderr.write(`Cancelled pipeline #${pipeline.id}\n`)
    return true
  } catch (error) {
    deps.io.stderr.write(`glt: could not cancel pipeline #${pipeline.id}: ${error instanceof Error ? error.message : String(error)}\n`)
    return false
  }
}

/** `--dotenv`: for later jobs (GitLab's `artifacts:reports:dotenv`). */
async function writeDotenv(path: string | undefined, pipeline: Pipeline, deps: WaitDeps): Promise<void> {
  if (path === undefined) return
  const text = `GLT_PIPELINE_ID=${pipeline.id}\nGLT_PIPELINE_URL=${pipeline.web_url}\nGLT_PIPELINE_STATUS=${pipeline.status}\n`
  try {
    const { writeFile } = await import('node:fs/promises')
    await writeFile(path, text)
  } catch (error) {
    deps.io.stderr.write(`glt: could not write --dotenv ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`)
  }
}

interface Reporter {
  snapshot(snapshot: PipelineSnapshot): void
  note(text: string): void
  end(): void
}

/** How progress looks: it depends on where glt runs, never on the command's logic. */
function createReporter(created: Pipeline, deps: WaitDeps): Reporter {
  const { io } = deps
  const inGitLabCI = isGitLabCI(deps.env)
  const sectionId = `glt_wait_${created.id}`
  const unixNow = () => Math.floor(deps.now().getTime() / 1000)
  if (inGitLabCI) {
    // GitLab folds the lines between these markers into one collapsible section of the job log.
    io.stderr.write(`\u001b[0Ksection_start:${unixNow()}:${sectionId}[collapsed=true]\r\u001b[0KWaiting for pipeline #${created.id}: ${created.web_url}\n`)
  }
  if (io.canAnimate && !inGitLabCI) {
    let spinner: Spinner | undefined
    let pending = `Pipeline #${created.id} ${created.status}`
    void startSpinner(io, pending).then((started) => {
      spinner = started
      spinner.update(pending)
    })
    const show = (text: string) => {
      pending = text
      spinner?.update(text)
    }
    return {
      snapshot: ({ pipeline, jobs }) => show(`Pipeline #${pipeline.id} ${pipeline.status}${jobs ? ` · ${describeCounts(jobs)}` : ''}`),
      note: (text) => show(`Pipeline #${created.id}: ${text}`),
      end: () => spinner?.stop(),
    }
  }
  let previous = ''
  const line = (text: string) => io.stderr.write(`${deps.now().toISOString().replace(/\.\d{3}Z$/, 'Z')} ${text}\n`)
  return {
    snapshot: ({ pipeline, jobs }) => {
      const text = `pipeline #${pipeline.id} ${pipeline.status}${jobs && jobs.length > 0 ? ` (jobs: ${describeCounts(jobs)})` : ''}`
      if (text !== previous) line(text)
      previous = text
    },
    note: line,
    end: () => {
      if (inGitLabCI) io.stderr.write(`\u001b[0Ksection_end:${unixNow()}:${sectionId}\r\u001b[0K\n`)
    },
  }
}

function describeCounts(jobs: readonly Job[]): string {
  if (jobs.length === 0) return 'no jobs yet'
  return countJobs(jobs)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ')
}

/** `--interval`: at least one second, so glt never hammers GitLab. */
export function checkInterval(ms: number): number {
  if (ms < 1000) {
    throw new UsageError('--interval must be at least 1s', { hint: 'Poll at most once a second, for example --interval 5s.', key: 'invalid-duration' })
  }
  return ms
}
