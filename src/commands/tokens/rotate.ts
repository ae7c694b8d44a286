import type { Command } from 'commander'
import type { CredentialStore } from '../../auth/credentials.ts'
import type { GitLabHost } from '../../config/host.ts'
import type { CommandContext, Deps } from '../../deps.ts'
import { createTriggerToken, getTriggerToken, revokeTriggerToken, type TriggerToken } from '../../gitlab/triggers.ts'
import { maskSecret } from '../../redact.ts'
import {
  describeTrigger,
  hostOption,
  openApiSession,
  parseTriggerId,
  PROJECT_DESCRIPTION,
  PROJECT_FLAGS,
  identifySaved,
  storeName,
  warnInsecureStorage,
  withState,
  type ApiDeps,
} from './common.ts'

export interface RotateOptions {
  host: GitLabHost
  project?: string | undefined
  triggerId: number
  /** Save the new token in the plain-text file (only when the old one was saved). */
  insecureStorage: boolean
}

export type RotateDeps = ApiDeps & Pick<Deps, 'configDir' | 'secrets'>

/**
 * Replaces a trigger token: creates one with the same description, saves it where the old one was
 * saved (if glt saved it), then revokes the old one. Each step runs only if the one before worked,
 * and a failure says what was done and how to finish.
 */
export async function run(options: RotateOptions, deps: RotateDeps): Promise<void> {
  const { io } = deps
  const { host } = options
  const session = await openApiSession(options, deps)
  const { project } = session
  const old = await getTriggerToken(session.client, session.credential, project, options.triggerId)
  const stored = await deps.credentials.findTriggerToken(host, project)
  const match = await identifySaved(session, old, stored)
  const keep = stored !== undefined && match === 'exact' ? stored : undefined
  if (match === 'maybe') {
    io.stderr.write(
      `${io.err.yellow('!')} glt cannot tell whether the token it saved for ${project} is this one (GitLab shows only 4 characters of tokens you did not create): the new token is printed, not saved.\n`,
    )
  } else if (keep === undefined && options.insecureStorage) {
    io.stderr.write(`${io.err.yellow('!')} glt had not saved trigger token ${old.id}, so the new token is printed, not saved (--insecure-storage is unused).\n`)
  }

  const oldLabel = describeTrigger(old)
  let created: TriggerToken
  try {
    // GitLab may refuse an empty description; a token without one gets a description saying where it came from.
    const description = old.description?.trim() ? old.description : `rotated from trigger token ${old.id}`
    created = await createTriggerToken(session.client, session.credential, project, { description })
  } catch (error) {
    throw withState(error, `could not create a new trigger token (${oldLabel} is unchanged)`, '')
  }
  deps.secrets.add(created.token)
  const newLabel = describeTrigger(created)

  let savedIn: string | undefined
  if (keep !== undefined) {
    const store: CredentialStore = options.insecureStorage ? 'file' : keep.store
    if (options.insecureStorage) warnInsecureStorage(deps)
    try {
      // Under the names the old token was saved by, so glt trigger finds it exactly as before.
      await deps.credentials.saveTriggerToken(host, { id: keep.entry.projectId, paths: [...keep.entry.projectPaths, project] }, created.token, store)
    } catch (error) {
      throw withState(
        error,
        `created ${newLabel} in ${project}, but could not save it; ${oldLabel} was not revoked and is still the saved one`,
        `Save the new token with glt tokens save -p ${project} (glt tokens list -p ${project} --show-token shows it), then run glt tokens revoke ${old.id} -p ${project}.`,
      )
    }
    savedIn = storeName(store, deps.configDir)
  } else {
    // Printed before the revoke, so the new token is in hand whatever happens next.
    io.stdout.write(`${created.token}\n`)
  }

  try {
    await revokeTriggerToken(session.client, session.credential, project, old.id)
  } catch (error) {
    throw withState(
      error,
      `created ${newLabel}${savedIn ? ` (saved in ${savedIn})` : ''}, but could not revoke ${oldLabel} in ${project}`,
      `Trigger token ${old.id} still works: revoke it with glt tokens revoke ${old.id} -p ${project}.`,
    )
  }
  io.stderr.write(
    `${io.err.green('✓')} Rotated ${oldLabel} in ${project}: created ${newLabel}${savedIn ? ` and saved it in ${savedIn} (${maskSecret(created.token)})` : ''}, revoked ${old.id}.\n`,
  )
}

export function register(tokens: Command, context: CommandContext, runFn = run): void {
  tokens
    .command('rotate')
    .description('Replace a trigger token with a new one with the same description, then revoke it')
    .argument('<id>', 'the trigger token ID (see glt tokens list)', parseTriggerId)
    .option(PROJECT_FLAGS, PROJECT_DESCRIPTION)
    .option('--insecure-storage', 'save the new token in a plain-text file instead of the OS keychain')
    .addHelpText(
      'after',
      `
When glt saved the old token, the new one is saved in its place; otherwise the new token is
printed on standard output. The old token stops working at once. The new one has no expiry date.

Examples:
  $ glt tokens rotate 7 -p group/app
  $ new=$(glt tokens rotate 7 -p group/app)`,
    )
    .addOption(hostOption())
    .action(async (triggerId: number, flags: Record<string, unknown>) => {
      const deps = context.deps()
      await runFn(
        {
          host: context.host(flags.host as string | undefined),
          project: flags.project as string | undefined,
          triggerId,
          insecureStorage: flags.insecureStorage === true,
        },
        deps,
      )
    })
}
