import { readFile, stat } from 'node:fs'
import { promisify } from 'node:util'
import path from 'node:path'

/** What a git checkout says about where it lives: its `origin` remote and the branch checked out. */
export interface GitContext {
  /** `origin`'s host (no user, no port) and project path, e.g. `gitlab.com` and `group/sub/proj`. */
  origin?: { host: string; projectPath: string } | undefined
  /** The current branch; undefined on a detached HEAD. */
  branch?: string | undefined
}

// node:fs, not node:fs/promises: the latter loads readline and more at start-up.
const readText = (path: string) => promisify(readFile)(path, 'utf8')
const statPath = promisify(stat)

/**
 * Reads `.git` directly instead of spawning git: it costs no process (start-up time matters in
 * shell loops) and works where git is not installed (slim CI images).
 */
export async function readGitContext(cwd: string): Promise<GitContext> {
  const gitDir = await findGitDir(cwd)
  if (gitDir === undefined) return {}
  const commonDir = await readCommonDir(gitDir)
  const [config, head] = await Promise.all([
    readText(path.join(commonDir, 'config')).catch(() => ''),
    readText(path.join(gitDir, 'HEAD')).catch(() => ''),
  ])
  const originUrl = parseOriginUrl(config)
  const branch = /^ref: refs\/heads\/(.+)$/m.exec(head)?.[1]?.trim()
  return { origin: originUrl === undefined ? undefined : parseRemoteUrl(originUrl), branch }
}

async function findGitDir(start: string): Promise<string | undefined> {
  let dir = path.resolve(start)
  for (;;) {
    const candidate = path.join(dir, '.git')
    const info = await statPath(candidate).catch(() => undefined)
    if (info?.isDirectory()) return candidate
    if (info?.isFile()) {
      // Worktrees and submodules: `.git` is a file saying `gitdir: <path>`.
      const pointer = /^gitdir:\s*(.+)$/m.exec(await readText(candidate))?.[1]?.trim()
      if (pointer) return path.resolve(dir, pointer)
    }
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

async function readCommonDir(gitDir: string): Promise<string> {
  const common = await readText(path.join(gitDir, 'commondir')).catch(() => undefined)
  return common === undefined ? gitDir : path.resolve(gitDir, common.trim())
}

/** The `url` of `[remote "origin"]` in a git config file. */
export function parseOriginUrl(config: string): string | undefined {
  let inOrigin = false
  for (const rawLine of config.split(/\r?\n/)) {
    const line = rawLine.trim()
    if (line.startsWith('[')) {
      inOrigin = /^\[remote\s+"origin"\]$/.test(line)
      continue
    }
    const url = inOrigin ? /^url\s*=\s*(.+)$/.exec(line)?.[1] : undefined
    if (url !== undefined) return url.trim().replace(/^"(.*)"$/, '$1')
  }
  return undefined
}

/**
 * `https://host/group/proj(.git)`, `ssh://git@host:2222/group/proj.git` and the scp-like
 * `git@host:group/proj.git` all name the same project.
 */
export function parseRemoteUrl(remote: string): { host: string; projectPath: string } | undefined {
  let host: string
  let projectPath: string
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(remote)
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(remote) && scpLike) {
    host = scpLike[1] ?? ''
    projectPath = scpLike[2] ?? ''
  } else {
    let url: URL
    try {
      url = new URL(remote)
    } catch {
      return undefined
    }
    if (!['https:', 'http:', 'ssh:', 'git+ssh:', 'ssh+git:'].includes(url.protocol)) return undefined
    host = url.hostname
    projectPath = decodeURIComponent(url.pathname)
  }
  projectPath = projectPath.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '')
  if (host === '' || projectPath === '' || !projectPath.includes('/')) return undefined
  return { host: host.toLowerCase(), projectPath }
}
