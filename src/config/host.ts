import { UsageError } from '../errors.ts'
import { isEnvOn, isGitLabCI, type Env } from './env.ts'

export const DEFAULT_HOST = 'https://gitlab.com'

/** A GitLab instance: where its API lives and the name credentials are stored under. */
export interface GitLabHost {
  /** `https://gitlab.example.com` or, for an instance under a relative URL, `https://example.com/gitlab`. */
  readonly baseUrl: string
  /** `gitlab.example.com` or `127.0.0.1:8080`: the keychain key, so a token never goes to another host. */
  readonly name: string
  readonly hostname: string
  /** Where the host came from, for `whoami` and error hints. */
  readonly source: '--host' | 'GITLAB_HOST' | 'CI_SERVER_URL' | 'default'
}

/** What to pass as --host for this instance in a hint: the bare name where it means the same. */
export function hostArgument(host: GitLabHost): string {
  return host.baseUrl === `https://${host.name}` ? host.name : host.baseUrl
}

/** `--host`, else `GITLAB_HOST`, else `CI_SERVER_URL` inside GitLab CI, else gitlab.com. */
export function resolveHost(flag: string | undefined, env: Env): GitLabHost {
  if (flag !== undefined) return parseHost(flag, '--host', env)
  if (env.GITLAB_HOST) return parseHost(env.GITLAB_HOST, 'GITLAB_HOST', env)
  if (isGitLabCI(env) && env.CI_SERVER_URL) return parseHost(env.CI_SERVER_URL, 'CI_SERVER_URL', env)
  return parseHost(DEFAULT_HOST, 'default', env)
}

export function parseHost(text: string, source: GitLabHost['source'], env: Env): GitLabHost {
  const trimmed = text.trim()
  // A bare hostname (`gitlab.example.com`, `gitlab.example.com:8443`) means https.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new UsageError(`invalid GitLab host from ${source}: "${text}"`, {
      hint: 'Give a URL such as https://gitlab.example.com, or just the hostname.',
      key: 'invalid-host',
    })
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '' || url.search || url.hash || url.username) {
    throw new UsageError(`invalid GitLab host from ${source}: "${text}"`, {
      hint: 'Give an http(s) URL without credentials, query or fragment, such as https://gitlab.example.com.',
      key: 'invalid-host',
    })
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !isEnvOn(env.GLT_ALLOW_HTTP)) {
    throw new UsageError(`refusing to send a token over plain http to ${url.host}`, {
      hint: `Use https://${url.host}${url.pathname === '/' ? '' : url.pathname}, or set GLT_ALLOW_HTTP=1 if you accept that anyone on the network can read the token.`,
      key: 'plain-http',
    })
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v4$/, '')
  return { baseUrl: `${url.protocol}//${url.host}${path}`, name: url.host, hostname: url.hostname, source }
}

/** Loopback addresses never leave the machine, so plain http is safe there (local test servers). */
export function isLoopback(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare)
}
