import { hostArgument, type GitLabHost } from '../config/host.ts'
import { isGitLabCI, type Env } from '../config/env.ts'
import { AuthError } from '../errors.ts'
import type { ApiCredential } from '../gitlab/client.ts'
import type { Credentials } from './credentials.ts'

export type ApiTokenSource = 'GITLAB_TOKEN' | 'keychain' | 'file' | 'CI_JOB_TOKEN'

export interface ResolvedApiToken extends ApiCredential {
  source: ApiTokenSource
}

/**
 * The token for API calls other than the trigger (a trigger token can read nothing):
 * `GITLAB_TOKEN`, then the personal access token saved by `glt login` for this host, then, where
 * `allowJobToken` says the endpoint accepts one, `CI_JOB_TOKEN` inside GitLab CI.
 */
export async function findApiToken(
  host: GitLabHost,
  env: Env,
  credentials: Credentials,
  options: { allowJobToken?: boolean } = {},
): Promise<ResolvedApiToken | undefined> {
  const fromEnv = env.GITLAB_TOKEN?.trim()
  if (fromEnv) return { token: fromEnv, kind: 'pat', source: 'GITLAB_TOKEN' }
  const saved = await credentials.findPat(host)
  if (saved) return { token: saved.token, kind: 'pat', source: saved.store }
  if (options.allowJobToken && isGitLabCI(env) && env.CI_JOB_TOKEN) return { token: env.CI_JOB_TOKEN.trim(), kind: 'job', source: 'CI_JOB_TOKEN' }
  return undefined
}

/** The hint for a host with no API token: the same sentence wherever one is missing. */
export function apiTokenHint(host: GitLabHost): string {
  return `Run glt login --host ${hostArgument(host)}, or set GITLAB_TOKEN to a personal access token with the api scope.`
}

/** Like findApiToken, but a missing token is an error (exit 3) that says how to give one. */
export async function requireApiToken(
  host: GitLabHost,
  env: Env,
  credentials: Credentials,
  options: { allowJobToken?: boolean } = {},
): Promise<ResolvedApiToken> {
  const found = await findApiToken(host, env, credentials, options)
  if (found) return found
  throw new AuthError(`no GitLab token for ${host.name}`, {
    hint: apiTokenHint(host),
    key: 'no-api-token',
  })
}
