import type { GitLabHost } from '../config/host.ts'
import type { Deps } from '../deps.ts'
import { UsageError } from '../errors.ts'
import { normalizeProject } from '../gitlab/encode.ts'

type ProjectDeps = Pick<Deps, 'io' | 'cwd' | 'readGitContext' | 'prompter'>

/**
 * The project `--project` defaults to: the git checkout's origin remote, when it is on the same
 * host. `otherHost`: the origin is on another one, which the usage error then names.
 */
export async function projectFromOrigin(
  host: GitLabHost,
  deps: Pick<Deps, 'cwd' | 'readGitContext'>,
): Promise<{ found?: { project: string; branch: string | undefined }; otherHost?: string }> {
  const git = await deps.readGitContext(deps.cwd)
  if (!git.origin) return {}
  if (git.origin.host !== host.hostname.toLowerCase()) return { otherHost: git.origin.host }
  return { found: { project: git.origin.projectPath, branch: git.branch } }
}

/**
 * `--project`, else the origin remote's project (said on stderr in a terminal). Undefined when only
 * a prompt could tell; a usage error naming --project when glt cannot prompt either.
 */
export async function findProject(flag: string | undefined, host: GitLabHost, deps: ProjectDeps): Promise<string | undefined> {
  if (flag !== undefined) return normalizeProject(flag)
  const { found, otherHost } = await projectFromOrigin(host, deps)
  if (found) {
    if (deps.io.stderrIsTTY) deps.io.stderr.write(deps.io.err.dim(`Using ${found.project} from the origin remote.\n`))
    return normalizeProject(found.project)
  }
  if (!deps.io.canPrompt) throw missingProject(host, otherHost)
  return undefined
}

/** Asks for the project in a terminal; a usage error naming --project elsewhere. */
export async function askProject(host: GitLabHost, deps: Pick<Deps, 'io' | 'prompter'>, otherHost?: string): Promise<string> {
  if (!deps.io.canPrompt) throw missingProject(host, otherHost)
  return normalizeProject(await deps.prompter.text('GitLab project (ID or full path, such as group/project):', { validate: nonEmpty }))
}

/** `--project`, the origin remote, a prompt, or a usage error: in that order. */
export async function resolveProject(flag: string | undefined, host: GitLabHost, deps: ProjectDeps): Promise<string> {
  return (await findProject(flag, host, deps)) ?? (await askProject(host, deps))
}

function missingProject(host: GitLabHost, originHost: string | undefined): UsageError {
  if (originHost === undefined) return missingOption('--project', 'the project (its ID or full path)')
  return new UsageError('missing --project: the project (its ID or full path)', {
    hint: `The origin remote of this checkout is on ${originHost}, not ${host.name}: pass --project, or --host ${originHost} to use that GitLab.`,
    key: 'missing-option',
  })
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
