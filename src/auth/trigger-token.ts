import { isGitLabCI, type Env } from '../config/env.ts'
import { AuthError, UsageError } from '../errors.ts'
import type { TokenKind } from '../gitlab/errors.ts'

export type TriggerTokenSource = '--token-stdin' | '--token' | 'GLT_TRIGGER_TOKEN' | 'CI_JOB_TOKEN' | 'keychain' | 'file' | 'prompt'

export interface ResolvedTriggerToken {
  token: string
  source: TriggerTokenSource
  kind: TokenKind
}

export interface TriggerTokenInputs {
  tokenFlag?: string | undefined
  tokenStdin: boolean
  env: Env
  project: string
  readStdin(): Promise<string>
  /** A token saved for this host and project (keychain, or the opted-in file). */
  findStored?(): Promise<{ token: string; store: 'keychain' | 'file' } | undefined>
  /** Set when a terminal lets glt ask. */
  prompt?: (() => Promise<string>) | undefined
}

/**
 * First found wins: `--token-stdin`, `--token`, `GLT_TRIGGER_TOKEN`, `CI_JOB_TOKEN` inside GitLab CI,
 * the stored token, then a masked prompt. Every candidate is checked before anything is sent.
 */
export async function resolveTriggerToken(inputs: TriggerTokenInputs): Promise<ResolvedTriggerToken> {
  const { env } = inputs
  if (inputs.tokenStdin && inputs.tokenFlag !== undefined) {
    throw new UsageError('--token and --token-stdin cannot be used together', {
      hint: 'Pass the token one way only; --token-stdin keeps it out of the process list.',
      key: 'token-conflict',
    })
  }
  if (inputs.tokenStdin) {
    const token = (await inputs.readStdin()).trim()
    if (token === '') {
      throw new UsageError('--token-stdin read an empty token', {
        hint: 'Pipe the token in, for example: printenv TRIGGER_TOKEN | glt trigger --token-stdin ...',
        key: 'token-empty',
      })
    }
    return checked({ token, source: '--token-stdin', kind: 'trigger' })
  }
  if (inputs.tokenFlag !== undefined) return checked({ token: inputs.tokenFlag.trim(), source: '--token', kind: 'trigger' })
  if (env.GLT_TRIGGER_TOKEN) return checked({ token: env.GLT_TRIGGER_TOKEN.trim(), source: 'GLT_TRIGGER_TOKEN', kind: 'trigger' })
  // Inside GitLab CI the job token can trigger a pipeline in another project (a multi-project pipeline).
  if (isGitLabCI(env) && env.CI_JOB_TOKEN) return { token: env.CI_JOB_TOKEN.trim(), source: 'CI_JOB_TOKEN', kind: 'job' }
  const stored = await inputs.findStored?.()
  if (stored) return checked({ token: stored.token, source: stored.store, kind: 'trigger' })
  if (inputs.prompt) {
    const token = (await inputs.prompt()).trim()
    if (token === '') throw new UsageError('no token given', { hint: 'Paste a pipeline trigger token (glptt-…) at the prompt.', key: 'token-empty' })
    return checked({ token, source: 'prompt', kind: 'trigger' })
  }
  throw new AuthError(`no trigger token for ${inputs.project}`, {
    hint: `Pass --token-stdin or --token, set GLT_TRIGGER_TOKEN, or save one with: glt tokens save --project ${inputs.project}`,
    key: 'no-token',
  })
}

/** `--token`, `GLT_TRIGGER_TOKEN`, `the prompt`, `the keychain`: where the user gave it, in their words. */
function describeSource(source: TriggerTokenSource): string {
  if (source === 'prompt' || source === 'keychain') return `the ${source}`
  if (source === 'file') return 'the credentials file'
  return source
}

/** Refuses tokens GitLab would answer with a bare 404, so the user learns why before sending. */
function checked(resolved: ResolvedTriggerToken): ResolvedTriggerToken {
  if (resolved.token === '') {
    throw new UsageError(`the trigger token from ${describeSource(resolved.source)} is empty`, { key: 'token-empty' })
  }
  if (resolved.token.startsWith('glpat-')) {
    throw new AuthError(`the token from ${describeSource(resolved.source)} is a personal access token (glpat-…), not a pipeline trigger token`, {
      hint: 'GitLab answers 404 Not Found when a personal access token is used to trigger; create a trigger token in Settings > CI/CD > Pipeline trigger tokens, or with: glt tokens create',
      key: 'pat-as-trigger-token',
    })
  }
  if (/\s/.test(resolved.token)) {
    throw new UsageError(`the trigger token from ${describeSource(resolved.source)} contains white space`, {
      hint: 'Copy the token again: trigger tokens are a single word such as glptt-… .',
      key: 'token-malformed',
    })
  }
  return resolved
}
