/** The environment glt reads, captured once at start so commands never touch `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>

/** `1`, `true` and `yes` (any case) switch a flag variable on; anything else, or unset, leaves it off. */
export function isEnvOn(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim())
}

/** Set by GitLab CI (and most other CI systems): never prompt, never colour. */
export function isCI(env: Env): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false'
}

export function isGitLabCI(env: Env): boolean {
  return isEnvOn(env.GITLAB_CI)
}

/** `--debug`, or GLT_DEBUG=1 for a run whose command line is out of reach (a CI job's script). */
export function isDebug(flag: boolean, env: Env): boolean {
  return flag || isEnvOn(env.GLT_DEBUG)
}
