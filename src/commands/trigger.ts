import { Option, type Command } from 'commander'
import { resolveTriggerToken, type ResolvedTriggerToken } from '../auth/trigger-token.ts'
import { findApiToken } from '../auth/api-token.ts'
import { formatDuration, parseDuration } from '../config/duration.ts'
import { hostArgument, type GitLabHost } from '../config/host.ts'
import type { CommandContext, Deps } from '../deps.ts'
import { AuthError, UsageError } from '../errors.ts'
import { encodeProjectId, encodeRef, needsJsonBody, normalizeProject, triggerJson, type InputValue } from '../gitlab/encode.ts'
import type { Pipeline } from '../gitlab/types.ts'
import { maskSecret } from '../redact.ts'
import { shellQuote } from '../shell-quote.ts'
import { startSpinner } from '../ui/io.ts'
import { askProject, missingOption, nonEmpty, projectFromOrigin } from './project-option.ts'
import { checkInterval, followPipeline } from './trigger-wait.ts'
import { mergeVariables, parseDotenv, parseInputArgument, parseVariableArgument, type ParsedVariable, type VariableSource } from '../vars.ts'

export interface TriggerOptions {
  host: GitLabHost
  /** Undefined: from the git checkout's origin, else a prompt, else a usage error. */
  project?: string | undefined
  ref?: string | undefined
  token?: string | undefined
  tokenStdin: boolean
  /** `--var` and `--var-file` in command-line order: the last value for a key wins. */
  variables: VariableSource[]
  inputs: string[]
  json: boolean
  dryRun: boolean
  webhookUrl: boolean
  showToken: boolean
  /** Each request's time-out. */
  timeoutMs: number
  /** `--wait`: follow the pipeline to its end; undefined without --wait. */
  wait?: TriggerWaitOptions | undefined
}

export interface TriggerWaitOptions {
  intervalMs: number
  /** The whole wait's time-out (`--timeout` with `--wait`); undefined: no limit. */
  timeoutMs: number | undefined
  manual: 'fail' | 'pass'
  cancelOnInterrupt: boolean
  cancelOnTimeout: boolean
  dotenvPath: string | undefined
  /** Check for a read credential before triggering (default), so a user can fix it first. */
  preflight: boolean
}

export type TriggerDeps = Pick<
  Deps,
  'io' | 'env' | 'cwd' | 'prompter' | 'gitlab' | 'readTextFile' | 'readStdin' | 'readGitContext' | 'credentials' | 'sleep' | 'now'
>

export async function run(options: TriggerOptions, deps: TriggerDeps): Promise<void> {
  const { io } = deps
  const target = await resolveTarget(options, deps)
  const variables = await collectVariables(options.variables, deps)
  const inputs = collectInputs(options.inputs)
  if (options.webhookUrl) checkWebhookInputs(inputs)

  if (options.dryRun) {
    io.stdout.write(`${curlCommand(options.host, target.project, target.ref, variables, inputs)}\n`)
    return
  }

  const token = await resolveToken(options, deps, target.project)
  if (options.webhookUrl) {
    io.stdout.write(`${webhookUrl(options.host, target, token.token, variables, inputs, options.showToken)}\n`)
    if (!options.showToken && io.stderrIsTTY) io.stderr.write(io.err.dim('The token is masked; add --show-token to print it in full.\n'))
    return
  }

  const startedAt = deps.now().getTime()
  // --wait reads the pipeline, which a trigger token cannot: find a credential that can, first.
  const reader = options.wait ? await findApiToken(options.host, deps.env, deps.credentials, { allowJobToken: true }) : undefined
  if (options.wait?.preflight && reader === undefined) throw noReadCredential(options.host, true)

  const client = deps.gitlab(options.host, { timeoutMs: options.timeoutMs, secrets: [token.token, ...secretValues(variables, inputs)] })
  const spinner = await startSpinner(io, `Triggering a pipeline for ${target.ref} in ${target.project}`)
  let pipeline: Pipeline
  try {
    pipeline = await client.triggerPipeline({
      project: target.project,
      tokenKind: token.kind,
      params: { token: token.token, ref: target.ref, variables: new Map([...variables].map(([k, v]) => [k, v.value])), inputs },
    })
  } finally {
    spinner.stop()
  }
  if (token.source === 'keychain' || token.source === 'file') {
    // Now both the ID and the path are known: the saved token will be found by either next time.
    const path = projectPathFromWebUrl(pipeline.web_url, options.host)
    await deps.credentials
      .learnProjectNames(options.host, target.project, { id: pipeline.project_id, paths: path ? [path] : [] })
      .catch(() => undefined)
  }
  if (!options.wait) {
    writePipeline(pipeline, options, deps, target.project)
    return
  }
  // The URL first, so a script or a person has it while glt waits; --json prints the final object.
  if (!options.json) writePipeline(pipeline, options, deps, target.project)
  if (reader === undefined) throw noReadCredential(options.host, false)
  const final = await followPipeline(
    pipeline,
    reader,
    {
      host: options.host,
      project: target.project,
      intervalMs: options.wait.intervalMs,
      deadline: options.wait.timeoutMs === undefined ? undefined : startedAt + options.wait.timeoutMs,
      timeoutText: options.wait.timeoutMs === undefined ? undefined : formatDuration(options.wait.timeoutMs),
      manual: options.wait.manual,
      cancelOnInterrupt: options.wait.cancelOnInterrupt,
      cancelOnTimeout: options.wait.cancelOnTimeout,
      dotenvPath: options.wait.dotenvPath,
      requestTimeoutMs: options.timeoutMs,
    },
    deps,
  )
  if (options.json) deps.io.stdout.write(`${JSON.stringify(final, null, 2)}\n`)
}

function noReadCredential(host: GitLabHost, beforeSending: boolean): AuthError {
  return new AuthError(
    beforeSending
      ? `--wait needs a token that can read pipelines on ${host.name}; nothing was triggered`
      : `the pipeline was triggered, but glt has no token that can read pipelines on ${host.name}`,
    {
      hint: `A trigger token cannot read: set GITLAB_TOKEN or run glt login --host ${hostArgument(host)} (inside GitLab CI, CI_JOB_TOKEN is used).`,
      key: 'wait-no-read-token',
    },
  )
}

function writePipeline(pipeline: Pipeline, options: TriggerOptions, deps: TriggerDeps, project: string) {
  const { io } = deps
  if (options.json) {
    io.stdout.write(`${JSON.stringify(pipeline, null, 2)}\n`)
  } else if (io.stdoutIsTTY) {
    const where = projectPathFromWebUrl(pipeline.web_url, options.host) ?? project
    io.stdout.write(`${io.out.green('✓')} Pipeline ${io.out.bold(`#${pipeline.id}`)} created for ${io.out.cyan(pipeline.ref)} in ${where}\n`)
    io.stdout.write(`  ${pipeline.web_url}\n`)
  } else {
    // Scripts get one line they can use as is: `url=$(glt trigger ...)`.
    io.stdout.write(`${pipeline.web_url}\n`)
  }
}

/** `https://host/group/proj/-/pipelines/12` → `group/proj`. */
function projectPathFromWebUrl(webUrl: string, host: GitLabHost): string | undefined {
  if (!webUrl.startsWith(`${host.baseUrl}/`)) return undefined
  return webUrl.slice(host.baseUrl.length + 1).split('/-/')[0]
}

async function resolveTarget(options: TriggerOptions, deps: TriggerDeps): Promise<{ project: string; ref: string }> {
  const { io } = deps
  let project = options.project
  let ref = options.ref
  let otherHost: string | undefined
  if (project === undefined) {
    const origin = await projectFromOrigin(options.host, deps)
    otherHost = origin.otherHost
    if (origin.found) {
      project = origin.found.project
      ref ??= origin.found.branch
      if (io.stderrIsTTY) io.stderr.write(io.err.dim(`Using ${project}${ref === origin.found.branch && ref ? ` and branch ${ref}` : ''} from the origin remote.\n`))
    }
  }
  project ??= await askProject(options.host, deps, otherHost)
  if (ref === undefined) {
    if (!io.canPrompt) throw missingOption('--ref', 'the branch or tag to run the pipeline for')
    ref = await deps.prompter.text('Branch or tag:', { validate: nonEmpty })
  }
  if (ref.trim() === '') throw new UsageError('--ref is empty', { hint: 'Give a branch or tag name, such as --ref main.', key: 'missing-option' })
  return { project: normalizeProject(project), ref }
}

/** Why a --var-file could not be read, in words rather than errno codes. */
const READ_FAILURES: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'it is a directory', EACCES: 'permission denied', EPERM: 'permission denied' }

async function collectVariables(sources: readonly VariableSource[], deps: TriggerDeps): Promise<Map<string, ParsedVariable>> {
  const parsed: ParsedVariable[] = []
  for (const source of sources) {
    if (source.kind === 'pair') {
      parsed.push(parseVariableArgument(source.text, deps.env))
      continue
    }
    let text: string
    try {
      text = await deps.readTextFile(source.path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason = (code && READ_FAILURES[code]) ?? code ?? 'unreadable'
      throw new UsageError(`cannot read --var-file ${source.path}: ${reason}`, {
        hint: 'Give the path of a dotenv file (KEY=VALUE lines).',
        key: 'invalid-var-file',
        cause: error,
      })
    }
    parsed.push(...parseDotenv(text, source.path))
  }
  return mergeVariables(parsed)
}

function collectInputs(texts: readonly string[]): Map<string, InputValue> {
  const inputs = new Map<string, InputValue>()
  for (const text of texts) {
    const { name, value } = parseInputArgument(text)
    inputs.set(name, value)
  }
  return inputs
}

async function resolveToken(options: TriggerOptions, deps: TriggerDeps, project: string): Promise<ResolvedTriggerToken> {
  const { io } = deps
  return resolveTriggerToken({
    tokenFlag: options.token,
    tokenStdin: options.tokenStdin,
    env: deps.env,
    project,
    readStdin: deps.readStdin,
    findStored: () => deps.credentials.findTriggerToken(options.host, project),
    prompt: io.canPrompt ? () => deps.prompter.secret(`Trigger token for ${project}:`) : undefined,
  })
}

function secretValues(variables: Map<string, ParsedVariable>, inputs: Map<string, InputValue>): string[] {
  return [...[...variables.values()].map((v) => v.value), ...[...inputs.values()].map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))]
}

/**
 * The curl command that does what this trigger would do. `--form-string` keeps values starting with
 * `@` or `<` literal (plain `--form` would read a file); `--var KEY` taken from the environment stays
 * `$KEY`, so the secret is not printed and the command works where KEY is set.
 */
export function curlCommand(
  host: GitLabHost,
  project: string,
  ref: string,
  variables: ReadonlyMap<string, ParsedVariable>,
  inputs: ReadonlyMap<string, InputValue>,
): string {
  const url = `${host.baseUrl}/api/v4/projects/${encodeProjectId(project)}/trigger/pipeline`
  const lines = ['curl --request POST']
  if (needsJsonBody(inputs)) {
    // The JSON is single-quoted; the token, and each --var KEY taken from the environment, is
    // spliced in from the environment between the quotes (as a JSON string, so such a value must
    // not hold `"` or `\`: tokens never do).
    const fromEnvironment = (name: string) => `\u0000${name}\u0000`
    const json = JSON.stringify(
      triggerJson({
        token: fromEnvironment('GLT_TRIGGER_TOKEN'),
        ref,
        variables: new Map([...variables].map(([key, v]) => [key, v.origin === 'environment' ? fromEnvironment(key) : v.value])),
        inputs,
      }),
    )
    const parts = json.split(/"\\u0000(\w+)\\u0000"/)
    const data = parts.map((part, i) => (i % 2 === 1 ? `"\\"$${part}\\""` : part === '' ? '' : shellQuote(part))).join('')
    lines.push(`--header 'Content-Type: application/json'`)
    lines.push(`--data-binary ${data}`)
  } else {
    lines.push(`--form-string "token=$GLT_TRIGGER_TOKEN"`)
    lines.push(`--form-string ${shellQuote(`ref=${ref}`)}`)
    for (const [key, variable] of variables) {
      lines.push(
        variable.origin === 'environment'
          ? `--form-string "variables[${key}]=$${key}"`
          : `--form-string ${shellQuote(`variables[${key}]=${variable.value}`)}`,
      )
    }
    for (const [name, value] of inputs) lines.push(`--form-string ${shellQuote(`inputs[${name}]=${String(value)}`)}`)
  }
  lines.push(shellQuote(url))
  return lines.join(' \\\n  ')
}

/** A query holds strings only: typed inputs cannot go in a webhook URL. Checked before any token is asked for. */
function checkWebhookInputs(inputs: ReadonlyMap<string, InputValue>): void {
  for (const [name, value] of inputs) {
    if (typeof value === 'string') continue
    throw new UsageError(`--webhook-url cannot carry the typed input ${name} (NAME:=JSON): a URL holds strings only`, {
      hint: `Give it as a string (--input ${name}=VALUE) if the input takes one, or trigger with glt trigger instead.`,
      key: 'flag-conflict',
    })
  }
}

/**
 * GitLab's webhook form: the ref in the path, the rest in the query (GitLab reads `variables[KEY]`
 * and `inputs[NAME]` there too). The token, and values taken from the environment, are masked
 * unless `showSecrets`.
 */
export function webhookUrl(
  host: GitLabHost,
  target: { project: string; ref: string },
  token: string,
  variables: ReadonlyMap<string, ParsedVariable>,
  inputs: ReadonlyMap<string, InputValue>,
  showSecrets: boolean,
): string {
  const secret = (value: string) => (showSecrets ? encodeURIComponent(value) : maskSecret(value))
  const query = [`token=${secret(token)}`]
  // Brackets encoded too (`variables%5BKEY%5D`): curl reads a bare `[` as a glob, and GitLab decodes either.
  for (const [key, variable] of variables) {
    query.push(`${encodeURIComponent(`variables[${key}]`)}=${variable.origin === 'environment' ? secret(variable.value) : encodeURIComponent(variable.value)}`)
  }
  for (const [name, value] of inputs) query.push(`${encodeURIComponent(`inputs[${name}]`)}=${encodeURIComponent(String(value))}`)
  return `${host.baseUrl}/api/v4/projects/${encodeProjectId(target.project)}/ref/${encodeRef(target.ref)}/trigger/pipeline?${query.join('&')}`
}

export function register(program: Command, context: CommandContext, runFn = run): void {
  const variableSources: VariableSource[] = []
  program
    .command('trigger')
    .description('Start a pipeline for a branch or tag with a pipeline trigger token')
    .option('-p, --project <id|path>', 'project ID or full path (default: from the origin remote)')
    .option('-r, --ref <branch|tag>', 'branch or tag to run (default: the current branch, with the origin project)')
    .option('--token <token>', 'pipeline trigger token (visible in the process list: prefer --token-stdin)')
    .option('--token-stdin', 'read the trigger token from standard input')
    .option('-v, --var <KEY=VALUE>', 'set a CI/CD variable; --var KEY takes the value of $KEY (repeatable)', (text: string) => {
      variableSources.push({ kind: 'pair', text })
      return variableSources
    })
    .option('--var-file <file>', 'read variables from a dotenv file (repeatable)', (path: string) => {
      variableSources.push({ kind: 'file', path })
      return variableSources
    })
    .option('-i, --input <NAME=VALUE|NAME:=JSON>', 'set a pipeline input; := sends a typed JSON value (repeatable)', collect)
    .option('--json', 'print the pipeline object GitLab returned, as JSON')
    .option('--dry-run', 'send nothing; print the equivalent curl command')
    .option('--webhook-url', 'print the webhook URL for this project, ref and --var/--input values instead of triggering')
    .option('--show-token', 'with --webhook-url: print the token (and values from the environment) in full')
    .option('-w, --wait', 'follow the pipeline to its end: exit 0 on success, 4 if it fails, 5 on --timeout')
    .option('--interval <duration>', 'with --wait: time between polls (at least 1s; default: 5s)')
    .addOption(new Option('--manual <fail|pass>', 'with --wait: a pipeline waiting for a manual job fails (default) or passes').choices(['fail', 'pass']))
    .option('--cancel-on-interrupt', 'with --wait: cancel the pipeline on Ctrl-C (default: leave it running)')
    .option('--cancel-on-timeout', 'with --wait: cancel the pipeline when --timeout runs out')
    .option('--dotenv <file>', 'with --wait: write GLT_PIPELINE_ID, GLT_PIPELINE_URL and GLT_PIPELINE_STATUS to this file')
    .option('--no-preflight', 'with --wait: trigger even when no token to read the pipeline was found')
    .addOption(new Option('--timeout <duration>', 'give up after this long (500ms, 30s, 5m; default 30s per request, and no limit on --wait)'))
    .addOption(new Option('--host <url>', 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'))
    .addHelpText(
      'after',
      `
Examples:
  $ glt trigger --project group/app --ref main --var DEPLOY_ENV=staging
  $ printenv TRIGGER_TOKEN | glt trigger -p 1234 -r v1.2.0 --token-stdin --json
  $ glt trigger -p group/app -r feature/login --var-file deploy.env --dry-run
  $ glt trigger -p group/app -r main --wait --timeout 30m --dotenv glt.env`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const deps = context.deps()
      const options: TriggerOptions = {
        host: context.host(flags.host as string | undefined),
        project: flags.project as string | undefined,
        ref: flags.ref as string | undefined,
        token: flags.token as string | undefined,
        tokenStdin: flags.tokenStdin === true,
        variables: variableSources,
        inputs: (flags.input as string[] | undefined) ?? [],
        json: flags.json === true,
        dryRun: flags.dryRun === true,
        webhookUrl: flags.webhookUrl === true,
        showToken: flags.showToken === true,
        timeoutMs: flags.wait || flags.timeout === undefined ? DEFAULT_REQUEST_TIMEOUT_MS : parseDuration(flags.timeout as string, '--timeout'),
        wait: flags.wait
          ? {
              intervalMs: checkInterval(parseDuration((flags.interval as string | undefined) ?? '5s', '--interval')),
              timeoutMs: flags.timeout === undefined ? undefined : parseDuration(flags.timeout as string, '--timeout'),
              manual: (flags.manual as 'fail' | 'pass' | undefined) ?? 'fail',
              cancelOnInterrupt: flags.cancelOnInterrupt === true,
              cancelOnTimeout: flags.cancelOnTimeout === true,
              dotenvPath: flags.dotenv as string | undefined,
              preflight: flags.preflight !== false,
            }
          : undefined,
      }
      const waitOnly = ['interval', 'manual', 'cancelOnInterrupt', 'cancelOnTimeout', 'dotenv'].filter((name) => flags[name] !== undefined)
      if (!flags.wait && (waitOnly.length > 0 || flags.preflight === false)) {
        const flag = waitOnly.length > 0 ? `--${kebab(waitOnly[0] ?? '')}` : '--no-preflight'
        throw new UsageError(`${flag} only goes with --wait`, { hint: `Add --wait to follow the pipeline, or drop ${flag}.`, key: 'flag-conflict' })
      }
      if (flags.wait && (options.dryRun || options.webhookUrl)) {
        throw new UsageError(`--wait cannot be used with ${options.dryRun ? '--dry-run' : '--webhook-url'}`, {
          hint: 'Nothing is triggered then, so there is nothing to wait for: drop one of the two.',
          key: 'flag-conflict',
        })
      }
      if (options.showToken && !options.webhookUrl) {
        throw new UsageError('--show-token only goes with --webhook-url', { hint: 'glt trigger never prints the token otherwise: drop --show-token.', key: 'flag-conflict' })
      }
      if (options.dryRun && options.webhookUrl) {
        throw new UsageError('--dry-run and --webhook-url cannot be used together', { hint: 'Drop one of the two: each prints instead of triggering.', key: 'flag-conflict' })
      }
      if (options.json && (options.dryRun || options.webhookUrl)) {
        // Both print text, not a pipeline: a `| jq` after them would fail in a confusing way.
        throw new UsageError(`--json cannot be used with ${options.dryRun ? '--dry-run' : '--webhook-url'}`, {
          hint: `Drop --json: ${options.dryRun ? '--dry-run prints a curl command' : '--webhook-url prints a URL'}, not a pipeline.`,
          key: 'flag-conflict',
        })
      }
      await runFn(options, deps)
    })
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}
