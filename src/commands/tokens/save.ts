import type { Command } from 'commander'
import { findApiToken } from '../../auth/api-token.ts'
import type { CredentialStore, ProjectNames } from '../../auth/credentials.ts'
import { resolveTriggerToken } from '../../auth/trigger-token.ts'
import type { GitLabHost } from '../../config/host.ts'
import type { CommandContext, Deps } from '../../deps.ts'
import { GltError, UsageError } from '../../errors.ts'
import { getProject } from '../../gitlab/triggers.ts'
import { maskSecret } from '../../redact.ts'
import { resolveProject } from '../project-option.ts'
import { hostOption, projectNames, PROJECT_DESCRIPTION, PROJECT_FLAGS, REQUEST_TIMEOUT_MS, storeName, warnInsecureStorage } from './common.ts'

export interface SaveOptions {
  host: GitLabHost
  project?: string | undefined
  /** Read the token from stdin; without it, a masked prompt (the action requires one or the other). */
  tokenStdin: boolean
  insecureStorage: boolean
}

export type SaveDeps = Pick<Deps, 'io' | 'env' | 'cwd' | 'prompter' | 'gitlab' | 'readGitContext' | 'readStdin' | 'credentials' | 'configDir' | 'secrets'>

/**
 * Saves a trigger token made elsewhere (the web UI) for `glt trigger`. It needs no personal access
 * token; with one, the project is looked up so the token is found by its ID and its path alike.
 */
export async function run(options: SaveOptions, deps: SaveDeps): Promise<void> {
  const { io } = deps
  const { host } = options
  const project = await resolveProject(options.project, host, deps)
  // The same checks as glt trigger's (a glpat- token is refused with the same explanation); the
  // environment is left out on purpose: only the token given here is saved.
  const { token } = await resolveTriggerToken({
    tokenStdin: options.tokenStdin,
    env: {},
    project,
    readStdin: deps.readStdin,
    prompt: async () => {
      const answer = await deps.prompter.secret(`Trigger token for ${project}:`)
      if (answer.trim() === '') throw new UsageError('no token given', { hint: 'Paste a pipeline trigger token (glptt-…) at the prompt.', key: 'token-empty' })
      return answer
    },
  })
  deps.secrets.add(token)

  const names = await lookUpNames(project, options, deps)
  const previous = await deps.credentials.findTriggerToken(host, project).catch(() => undefined)
  const store: CredentialStore = options.insecureStorage ? 'file' : 'keychain'
  if (options.insecureStorage) warnInsecureStorage(deps)
  await deps.credentials.saveTriggerToken(host, names, token, store)

  const replaced = previous && previous.token !== token ? ` (replacing ${maskSecret(previous.token)})` : ''
  io.stderr.write(`${io.err.green('✓')} Saved the trigger token for ${project} in ${storeName(store, deps.configDir)}: ${maskSecret(token)}${replaced}\n`)
  if (deps.env.GLT_TRIGGER_TOKEN?.trim()) {
    io.stderr.write(`${io.err.yellow('!')} GLT_TRIGGER_TOKEN is set: glt trigger uses it instead of the saved token until you unset it.\n`)
  }
}

/** With a personal access token at hand, the project's ID and path; else (or if GitLab cannot say) the name given. */
async function lookUpNames(project: string, options: SaveOptions, deps: SaveDeps): Promise<ProjectNames> {
  try {
    const credential = await findApiToken(options.host, deps.env, deps.credentials)
    if (credential === undefined) return projectNames(project)
    const client = deps.gitlab(options.host, { timeoutMs: REQUEST_TIMEOUT_MS, secrets: [credential.token] })
    return projectNames(project, await getProject(client, credential, project))
  } catch (error) {
    if (!(error instanceof GltError)) throw error
    // Only a convenience: glt trigger learns the other name the first time it runs.
    deps.io.stderr.write(deps.io.err.dim(`Could not look up ${project} on ${options.host.name} (${error.message}); saving the token under ${project} only.\n`))
    return projectNames(project)
  }
}

export function register(tokens: Command, context: CommandContext, runFn = run): void {
  tokens
    .command('save')
    .description('Save an existing trigger token (from the web UI) for glt trigger')
    .option(PROJECT_FLAGS, PROJECT_DESCRIPTION)
    .option('--token-stdin', 'read the token from standard input (required without a terminal)')
    .option('--insecure-storage', 'save it in a plain-text file instead of the OS keychain')
    .addOption(hostOption())
    .addHelpText(
      'after',
      `
glt trigger then finds it for the project, after --token, GLT_TRIGGER_TOKEN and CI_JOB_TOKEN.

Examples:
  $ glt tokens save -p group/app
  $ printenv TRIGGER_TOKEN | glt tokens save -p group/app --token-stdin`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const deps = context.deps()
      const tokenStdin = flags.tokenStdin === true
      if (tokenStdin && deps.io.stdinIsTTY) {
        throw new UsageError('--token-stdin needs the token piped in, not typed at a terminal', {
          hint: 'For example: printenv TRIGGER_TOKEN | glt tokens save --token-stdin; in a terminal, leave the flag out to be prompted.',
          key: 'stdin-is-terminal',
        })
      }
      if (!tokenStdin && !deps.io.canPrompt) {
        throw new UsageError('missing --token-stdin: glt cannot prompt for the token here', {
          hint: 'Pipe the token in, for example: printenv TRIGGER_TOKEN | glt tokens save -p group/app --token-stdin',
          key: 'missing-option',
        })
      }
      await runFn(
        {
          host: context.host(flags.host as string | undefined),
          project: flags.project as string | undefined,
          tokenStdin,
          insecureStorage: flags.insecureStorage === true,
        },
        deps,
      )
    })
}
