import type { GitLabHost } from '../config/host.ts'
import type { Deps } from '../deps.ts'
import { UsageError } from '../errors.ts'
import { normalizeProject } from '../gitlab/encode.ts'

type ProjectDeps = Pick<Deps, 'io' | 'cwd' | 'readGitContext' | 'prompter'>

/** The project `--project` defaults to: the git checkout's origin remote, when it is on the same host. */
export async function projectFromOrigin(
  host: GitLabHost,
  deps: Pick<Deps, 'cwd' | 'readGitContext'>,
): Promise<{ project: string; branch: string | undefined } | undefined> {
  const git = await deps.readGitContext(deps.cwd)
  if (!git.origin || git.origin.host !== host.hostname.toLowerCase()) return undefined
  return { project: git.origin.projectPath, branch: git.branch }
}

/**
 * `--project`, else the origin remote's project (said on stderr in a terminal). Undefined when only
 * a prompt could tell; a usage error naming --project when glt cannot prompt either.
 */
export async function findProject(flag: string | undefined, host: GitLabHost, deps: ProjectDeps): Promise<string | undefined> {
  if (flag !== undefined) return normalizeProject(flag)
  const origin = await projectFromOrigin(host, deps)
  if (origin) {
    if (deps.io.stderrIsTTY) deps.io.stderr.write(deps.io.err.dim(`Using ${origin.project} from the origin remote.\n`))
    return normalizeProject(origin.project)
  }
  if (!deps.io.canPrompt) throw missingOption('--project', 'the project (its ID or full path)')
  return undefined
}

/** Asks for the project in a terminal; a usage error naming --project elsewhere. */
export async function askProject(deps: Pick<Deps, 'io' | 'prompter'>): Promise<string> {
  if (!deps.io.canPrompt) throw missingOption('--project', 'the project (its ID or full path)')
  return normalizeProject(await deps.prompter.text('GitLab project (ID or full path, such as group/project):', { validate: nonEmpty }))
}

/** `--project`, the origin remote, a prompt, or a usage error: in that order. */
export async function resolveProject(flag: string | undefined, host: GitLabHost, deps: ProjectDeps): Promise<string> {
  return (await findProject(flag, host, deps)) ?? (await askProject(deps))
}

export function nonEmpty(value: string): string | true {
  return value.trim() === '' ? 'A value is required' : true
}

/** A value glt could neither find nor ask for: exit 2, naming the flag that gives it. */
export function missingOption(flag: string, what: string): UsageError {
  return new UsageError(`missing ${flag}: ${what}`, {
    hint: `Pass ${flag}${flag === '--project' ? ', or run glt inside a git checkout whose origin is on this GitLab host' : ''}.`,
    key: 'missing-option',
  })
}
