import type { Command } from 'commander'
import type { GitLabHost } from '../../config/host.ts'
import type { CommandContext, Deps } from '../../deps.ts'
import { CancelledError, GltError, UsageError } from '../../errors.ts'
import { shellQuote } from '../../shell-quote.ts'
import { getTriggerToken, revokeTriggerToken, type TriggerToken } from '../../gitlab/triggers.ts'
import {
  describeTrigger,
  hostOption,
  openApiSession,
  parseTriggerId,
  PROJECT_DESCRIPTION,
  PROJECT_FLAGS,
  identifySaved,
  storeName,
  withState,
  type ApiDeps,
} from './common.ts'

export interface RevokeOptions {
  host: GitLabHost
  project?: string | undefined
  triggerId: number
  /** Skip the confirmation; required without a terminal (checked by the action). */
  yes: boolean
}

export type RevokeDeps = ApiDeps & Pick<Deps, 'configDir'>

export async function run(options: RevokeOptions, deps: RevokeDeps): Promise<void> {
  const { io } = deps
  const session = await openApiSession(options, deps)
  const { project } = session
  // Read first: a wrong ID fails before the question, the question can say which token it is,
  // and the token tells whether glt's saved copy is this one.
  const trigger = await getTriggerToken(session.client, session.credential, project, options.triggerId)
  if (!options.yes) {
    const ok = await deps.prompter.confirm(`Revoke ${describeFull(trigger)} in ${project}? A revoked trigger token cannot be added back.`, false)
    if (!ok) throw new CancelledError(`${describeTrigger(trigger)} was not revoked`, { key: 'cancelled' })
  }
  await revokeTriggerToken(session.client, session.credential, project, trigger.id)

  const revoked = `${describeTrigger(trigger)} in ${project}`
  const forgetHint = `If glt saved it, remove it with glt tokens forget -p ${project}.`
  let removedFrom: string | undefined
  try {
    const stored = await deps.credentials.findTriggerToken(options.host, project)
    // The list is only a refinement: if it cannot be read, the saved token may still be this one.
    const match = await identifySaved(session, trigger, stored).catch((error: unknown) => {
      if (error instanceof GltError) return 'maybe' as const
      throw error
    })
    if (stored && match === 'exact') {
      await deps.credentials.forgetTriggerToken(options.host, project)
      removedFrom = storeName(stored.store, deps.configDir)
    } else if (stored && match === 'maybe') {
      io.stderr.write(
        `${io.err.yellow('!')} The trigger token glt saved for ${project} may be this one: GitLab shows only the first 4 characters of tokens you did not create. ${forgetHint}\n`,
      )
    }
  } catch (error) {
    throw withState(error, `revoked ${revoked}, but could not remove glt's saved copy`, forgetHint)
  }
  io.stderr.write(`${io.err.green('✓')} Revoked ${revoked}${removedFrom ? ` and removed it from ${removedFrom}` : ''}\n`)
}

/** `trigger token 7 ("deploy", created by jdoe)`. */
function describeFull(trigger: TriggerToken): string {
  const details = [trigger.description ? `"${trigger.description}"` : undefined, trigger.owner ? `created by ${trigger.owner.username}` : undefined].filter(Boolean)
  return `trigger token ${trigger.id}${details.length > 0 ? ` (${details.join(', ')})` : ''}`
}

export function register(tokens: Command, context: CommandContext, runFn = run): void {
  tokens
    .command('revoke')
    .description('Revoke a pipeline trigger token (needs the Maintainer role)')
    .argument('<id>', 'the trigger token ID (see glt tokens list)', parseTriggerId)
    .option(PROJECT_FLAGS, PROJECT_DESCRIPTION)
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .addOption(hostOption())
    .addHelpText(
      'after',
      `
A revoked trigger token cannot be added back. When glt saved the token, it is removed too.

Examples:
  $ glt tokens revoke 7 -p group/app
  $ glt tokens revoke 7 -p group/app --yes`,
    )
    .action(async (triggerId: number, flags: Record<string, unknown>) => {
      const deps = context.deps()
      const yes = flags.yes === true
      if (!yes && !deps.io.canPrompt) {
        const project = typeof flags.project === 'string' ? ` -p ${shellQuote(flags.project)}` : ''
        throw new UsageError('--yes is required to revoke where glt cannot ask (no terminal, or CI or GLT_NO_PROMPT set)', {
          hint: `A revoked trigger token cannot be added back: add --yes to confirm, as in glt tokens revoke ${triggerId}${project} --yes.`,
          key: 'confirmation-required',
        })
      }
      await runFn({ host: context.host(flags.host as string | undefined), project: flags.project as string | undefined, triggerId, yes }, deps)
    })
}
