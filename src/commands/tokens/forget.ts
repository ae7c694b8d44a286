import type { Command } from 'commander'
import type { TriggerAccountEntry } from '../../auth/account-index.ts'
import type { GitLabHost } from '../../config/host.ts'
import type { CommandContext, Deps } from '../../deps.ts'
import { isNumericProjectId } from '../../gitlab/encode.ts'
import { resolveProject } from '../project-option.ts'
import { hostOption, PROJECT_DESCRIPTION, PROJECT_FLAGS, storeName } from './common.ts'

export interface ForgetOptions {
  host: GitLabHost
  project?: string | undefined
}

export type ForgetDeps = Pick<Deps, 'io' | 'env' | 'cwd' | 'prompter' | 'readGitContext' | 'credentials' | 'configDir'>

/**
 * Removes the trigger token saved for the project; the token itself keeps working (revoke it for
 * that). Nothing saved is not a failure (exit 0), as with glt logout: the state asked for holds.
 */
export async function run(options: ForgetOptions, deps: ForgetDeps): Promise<void> {
  const { io } = deps
  const { host } = options
  const project = await resolveProject(options.project, host, deps)
  const saved = (await deps.credentials.list(host)).filter((e): e is TriggerAccountEntry => e.kind === 'trigger')
  const entry = saved.find((e) => names(project, e))
  const removed = entry !== undefined && (await deps.credentials.forgetTriggerToken(host, project))
  if (entry !== undefined && removed) {
    io.stderr.write(`${io.err.green('✓')} Removed the trigger token saved for ${project} from ${storeName(entry.store, deps.configDir)}.\n`)
  } else {
    // Name what is saved: the usual cause is the project's other name, or another --host.
    const others = saved.map((e) => e.projectPaths[0] ?? String(e.projectId))
    io.stderr.write(
      `No trigger token is saved for ${project} on ${host.name}${others.length > 0 ? ` (glt has one for ${others.join(', ')})` : ''}.\n`,
    )
  }
  if (deps.env.GLT_TRIGGER_TOKEN?.trim()) {
    io.stderr.write(`${io.err.yellow('!')} GLT_TRIGGER_TOKEN is set: glt trigger still uses it until you unset it.\n`)
  }
}

/** Whether the entry is saved under this project name (ID or path, paths in any case), as credentials finds it. */
function names(project: string, entry: TriggerAccountEntry): boolean {
  return isNumericProjectId(project)
    ? entry.projectId === Number(project)
    : entry.projectPaths.some((path) => path.toLowerCase() === project.toLowerCase())
}

export function register(tokens: Command, context: CommandContext, runFn = run): void {
  tokens
    .command('forget')
    .description('Remove the trigger token glt saved for a project (the token stays valid)')
    .option(PROJECT_FLAGS, PROJECT_DESCRIPTION)
    .addOption(hostOption())
    .addHelpText(
      'after',
      `
The token itself keeps working: revoke it with glt tokens revoke. Exits 0 when none was saved.

Examples:
  $ glt tokens forget -p group/app
  $ glt tokens forget -p 1234 --host gitlab.example.com`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const deps = context.deps()
      await runFn({ host: context.host(flags.host as string | undefined), project: flags.project as string | undefined }, deps)
    })
}
