import { join } from 'node:path'
import { Option, type Command } from 'commander'
import type { GitLabHost } from '../config/host.ts'
import type { CommandContext, Deps } from '../deps.ts'

export interface LogoutOptions {
  host: GitLabHost
}

export type LogoutDeps = Pick<Deps, 'io' | 'env' | 'credentials' | 'configDir'>

/**
 * Removes the personal access token saved for the host. Nothing saved is not a failure (exit 0):
 * the state asked for, no saved token, holds, so scripts can log out unconditionally.
 */
export async function run(options: LogoutOptions, deps: LogoutDeps): Promise<void> {
  const { io } = deps
  const { host } = options
  const entry = (await deps.credentials.list(host)).find((e) => e.kind === 'pat')
  const removed = entry !== undefined && (await deps.credentials.forgetPat(host))
  if (removed) {
    const where = entry.store === 'file' ? `${join(deps.configDir, 'credentials.json')}` : 'the OS keychain'
    io.stderr.write(`${io.err.green('✓')} Logged out of ${host.name}: removed its personal access token from ${where}.\n`)
  } else {
    // Name the hosts that do have a token: the usual cause is a missing --host or GITLAB_HOST.
    const others = (await deps.credentials.list()).filter((e) => e.kind === 'pat').map((e) => e.host)
    io.stderr.write(
      `Not logged in to ${host.name}: no personal access token is saved for it${others.length > 0 ? ` (glt has one for ${others.join(', ')}; use --host)` : ''}.\n`,
    )
  }
  if (deps.env.GITLAB_TOKEN?.trim()) {
    io.stderr.write(`${io.err.yellow('!')} GITLAB_TOKEN is set: glt still uses it for ${host.name} until you unset it.\n`)
  }
}

export function register(program: Command, context: CommandContext, runFn = run): void {
  program
    .command('logout')
    .description('Remove the personal access token saved for a GitLab host')
    .addOption(new Option('--host <url>', 'GitLab instance (default: $GITLAB_HOST, $CI_SERVER_URL in GitLab CI, gitlab.com)'))
    .addHelpText(
      'after',
      `
Trigger tokens saved for the host are kept. Exits 0 when no token was saved.

Examples:
  $ glt logout
  $ glt logout --host gitlab.example.com`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const deps = context.deps()
      await runFn({ host: context.host(flags.host as string | undefined) }, deps)
    })
}
