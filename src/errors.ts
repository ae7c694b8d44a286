/** Exit codes are part of glt's interface: scripts branch on them. Documented in README and `glt help exit-codes`. */
export const ExitCode = {
  Ok: 0,
  /** GitLab answered with an error, or the network failed. */
  Failure: 1,
  /** Bad flags or input; nothing was sent. */
  Usage: 2,
  /** Missing or rejected credentials. */
  Auth: 3,
  /** `--wait`: the pipeline finished without succeeding. */
  PipelineFailed: 4,
  /** `--wait`: the pipeline did not finish in time. */
  WaitTimeout: 5,
  /** Interrupted (Ctrl-C). */
  Interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export interface GltErrorOptions extends ErrorOptions {
  /** What the user can do about it: printed on its own line after the message. */
  hint?: string | undefined
  /**
   * A stable identifier for this kind of failure (`trigger-404`, `tls`, ...). The README's
   * troubleshooting section has an entry per key, so every message glt prints is explained there.
   */
  key?: string | undefined
}

/**
 * The base of every failure glt expects. Its message is one line saying what happened; it never
 * contains a secret (messages are redacted where they are built, not where they are printed).
 */
export abstract class GltError extends Error {
  abstract readonly exitCode: ExitCode
  readonly hint: string | undefined
  readonly key: string | undefined

  constructor(message: string, options: GltErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.hint = options.hint
    this.key = options.key
  }
}

/** Bad input detected before anything was sent. */
export class UsageError extends GltError {
  override name = 'UsageError'
  readonly exitCode = ExitCode.Usage
}

/** No credential, or GitLab rejected the one given (401, 403, the trigger's 404). */
export class AuthError extends GltError {
  override name = 'AuthError'
  readonly exitCode = ExitCode.Auth
}

/** GitLab answered, but not with success. */
export class ApiError extends GltError {
  override name = 'ApiError'
  readonly exitCode = ExitCode.Failure
  readonly status: number

  constructor(message: string, status: number, options: GltErrorOptions = {}) {
    super(message, options)
    this.status = status
  }
}

/** The request never got an HTTP answer: DNS, refused connection, TLS, reset, time-out. */
export class NetworkError extends GltError {
  override name = 'NetworkError'
  readonly exitCode = ExitCode.Failure
}

/** The OS keychain could not be reached in time or refused the call. */
export class KeychainUnavailableError extends GltError {
  override name = 'KeychainUnavailableError'
  readonly exitCode = ExitCode.Failure
}

/** The user pressed Ctrl-C at a prompt or during a wait. */
export class CancelledError extends GltError {
  override name = 'CancelledError'
  readonly exitCode = ExitCode.Interrupted
}

/** `--wait`: the pipeline finished without succeeding, or waits for a person. */
export class PipelineFailedError extends GltError {
  override name = 'PipelineFailedError'
  readonly exitCode = ExitCode.PipelineFailed
}

/** `--wait`: the pipeline had not finished when `--timeout` ran out. */
export class WaitTimeoutError extends GltError {
  override name = 'WaitTimeoutError'
  readonly exitCode = ExitCode.WaitTimeout
}
