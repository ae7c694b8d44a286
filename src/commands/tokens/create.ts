import type { Command } from 'commander'
import type { CredentialStore, ProjectNames } from '../../auth/credentials.ts'
import type { GitLabHost } from '../../config/host.ts'
import type { CommandContext, Deps } from '../../deps.ts'
import { UsageError } from '../../errors.ts'
import { createTriggerToken, type TriggerToken } from '../../gitlab/triggers.ts'
import { maskSecret } from '../../redact.ts'
import { startSpinner } from '../../ui/io.ts'
import { missingOption, nonEmpty } from '../project-option.ts'
import {
  describeTrigger,
  hostOption,
  lookUpProjectNames,
  openApiSession,
  PROJECT_DESCRIPTION,
  PROJECT_FLAGS,
  storeName,
  warnInsecureStorage,
  withState,
  type ApiDeps,
} from './common.ts'

export interface CreateOptions {
  host: GitLabHost
  project?: string | undefined
  /** Undefined: asked for in a terminal (the action refuses it missing elsewhere). */
  description?: string | undefined
  /** `YYYY-MM-DD`, checked before anything is sent. */
  expiresAt?: string | undefined
  /** Keep the new token (keychain, or the file with insecureStorage) instead of printing it. */
  save: boolean
  insecureStorage: boolean
  json: boolean
}

export type CreateDeps = ApiDeps & Pick<Deps, 'configDir' | 'secrets'>

export async function run(options: CreateOptions, deps: CreateDeps): Promise<void> {
  const { io } = deps
  const session = await openApiSession(options, deps)
  const { project } = session
  const description = options.description ?? (await deps.prompter.text('Description of the trigger token:', { validate: nonEmpty }))
  // Looked up first: a wrong project fails before a token exists, and the token is saved under
  // both the ID and the path (GitLab's answer to the create does not name the project).
  // And the store is checked: a keychain that cannot be reached fails now, with nothing created.
  const store: CredentialStore = options.insecureStorage ? 'file' : 'keychain'
  let names: ProjectNames | undefined
  if (options.save) {
    await deps.credentials.checkStore(store)
    names = await lookUpProjectNames(session)
  }

  const spinner = await startSpinner(io, `Creating a trigger token in ${project}`)
  let trigger: TriggerToken
  try {
    trigger = await createTriggerToken(session.client, session.credential, project, { description, expiresAt: options.expiresAt })
  } finally {
    spinner.stop()
  }
  deps.secrets.add(trigger.token)
  const label = describeTrigger(trigger)

  if (names !== undefined) {
    if (options.insecureStorage) warnInsecureStorage(deps)
    let previous: string | undefined
    try {
      previous = (await deps.credentials.findTriggerToken(options.host, project))?.token
      await deps.credentials.saveTriggerToken(options.host, names, trigger.token, store)
    } catch (error) {
      throw withState(
        error,
        `created ${label} in ${project}, but could not save it`,
        `The token is not lost: glt tokens list -p ${project} --show-token shows it, and glt tokens save -p ${project} saves it.`,
      )
    }
    if (options.json) io.stdout.write(`${JSON.stringify({ ...trigger, token: maskSecret(trigger.token) }, null, 2)}\n`)
    // The token saved before still works, but glt trigger no longer uses it: say which one it was.
    const replaced = previous === undefined ? '' : ` (replacing ${maskSecret(previous)})`
    io.stderr.write(`${io.err.green('✓')} Created ${label} in ${project} and saved it in ${storeName(store, deps.configDir)}: ${maskSecret(trigger.token)}${replaced}\n`)
    return
  }

  // The one place the token is printed: stdout, so `token=$(glt tokens create ...)` works.
  io.stdout.write(options.json ? `${JSON.stringify(trigger, null, 2)}\n` : `${trigger.token}\n`)
  io.stderr.write(`${io.err.green('✓')} Created ${label} in ${project}\n`)
  if (io.stderrIsTTY) io.stderr.write(io.err.dim(`glt did not keep it: save it with glt tokens save -p ${project}, or create it with --save next time.\n`))
}

/** `--expires-at`: a real calendar date written `YYYY-MM-DD`, as GitLab expects. */
export function parseExpiresAt(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim())
  if (match === null) {
    throw new UsageError(`invalid --expires-at "${text}": expected a date written YYYY-MM-DD`, { hint: 'For example: --expires-at 2026-12-31.', key: 'invalid-date' })
  }
  // Date.UTC rolls 2026-02-30 over to March: the round trip catches days that do not exist.
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text.trim()) {
    throw new UsageError(`invalid --expires-at "${text}": there is no such day`, { hint: 'For example: --expires-at 2026-12-31.', key: 'invalid-date' })
  }
  return text.trim()
}

export function register(tokens: Command, context: CommandContext, runFn = run): void {
  tokens
    .command('create')
    .description('Create a pipeline trigger token (needs the Maintainer role)')
    .option(PROJECT_FLAGS, PROJECT_DESCRIPTION)
    .option('-d, --description <text>', 'what the token is for (asked for in a terminal)')
    .option('--expires-at <YYYY-MM-DD>', 'the day the token stops working (default: never)')
    .option('--save', 'save the token for glt trigger instead of printing it (OS keychain)')
    .option('--insecure-storage', 'with --save: save it in a plain-text file instead of the OS keychain')
    .option('--json', "print GitLab's trigger token object as JSON (its token masked with --save)")
    .addOption(hostOption())
    .addHelpText(
      'after',
      `
Without --save the new token is printed once on standard output.

Examples:
  $ glt tokens create -p group/app --description "deploy from Jenkins" --save
  $ token=$(glt tokens create -p group/app -d nightly --expires-at 2026-12-31)
  $ glt tokens create -p 1234 -d ci --json | jq -r .token`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const deps = context.deps()
      const description = flags.description as string | undefined
      if (description !== undefined && description.trim() === '') {
        throw new UsageError('--description is empty', { hint: 'Say what the token is for, such as --description "deploy from Jenkins".', key: 'missing-option' })
      }
      if (description === undefined && !deps.io.canPrompt) throw missingOption('--description', 'what the token is for')
      if (flags.insecureStorage === true && flags.save !== true) {
        throw new UsageError('--insecure-storage only goes with --save', { hint: 'Add --save to keep the token, or drop --insecure-storage.', key: 'flag-conflict' })
      }
      await runFn(
        {
          host: context.host(flags.host as string | undefined),
          project: flags.project as string | undefined,
          description: description?.trim(),
          expiresAt: flags.expiresAt === undefined ? undefined : parseExpiresAt(flags.expiresAt as string),
          save: flags.save === true,
          insecureStorage: flags.insecureStorage === true,
          json: flags.json === true,
        },
        deps,
      )
    })
}
