import { KeychainUnavailableError } from '../errors.ts'

/** Where glt keeps secrets, one per account string. Implementations: OS keychain, plain file, memory. */
export interface Keychain {
  /** undefined when nothing is stored */
  get(account: string): Promise<string | undefined>
  set(account: string, secret: string): Promise<void>
  /** true when something was deleted */
  delete(account: string): Promise<boolean>
}

export interface OsKeychainOptions {
  /** The Secret Service `service` attribute (macOS: the item's service). */
  service?: string
  /** Upper bound for each call, import of the native module included. */
  timeoutMs?: number
  /** Tests only: a stand-in for `@napi-rs/keyring`. */
  loadKeyring?: () => Promise<KeyringBinding>
}

/** The part of `@napi-rs/keyring` glt uses. */
export interface KeyringBinding {
  AsyncEntry: new (service: string, account: string, options: { linux: { store: 'secret-service' } }) => KeyringEntry
}

export interface KeyringEntry {
  /** null when nothing is stored */
  getPassword(): Promise<string | null>
  setPassword(secret: string): Promise<void>
  /** false when nothing was stored */
  deletePassword(): Promise<boolean>
}

/**
 * The OS keychain through `@napi-rs/keyring`: macOS Keychain, Windows Credential Manager, or the
 * Secret Service (gnome-keyring, KWallet) on Linux. Every failure, including a slow or frozen
 * keyring, becomes a `KeychainUnavailableError`.
 */
export function createOsKeychain(options: OsKeychainOptions = {}): Keychain {
  const service = options.service ?? 'glt'
  const timeoutMs = options.timeoutMs ?? 3000
  const loadKeyring = options.loadKeyring ?? (() => import('@napi-rs/keyring'))
  // Loaded on first use: most glt runs never touch the keychain.
  let keyring: Promise<KeyringBinding> | undefined

  async function withEntry<T>(account: string, use: (entry: KeyringEntry) => Promise<T>): Promise<T> {
    keyring ??= loadKeyring()
    let binding: KeyringBinding
    try {
      binding = await keyring
    } catch (error) {
      throw keychainUnavailable('unsupported', error)
    }
    // Pinned: unpinned, a machine without a Secret Service silently falls back to the kernel
    // keyring, which forgets the secret at reboot. Note that the constructor opens the Secret
    // Service session synchronously, so a frozen daemon blocks the event loop until libdbus gives
    // up (~2 s, measured); the timer below bounds only the asynchronous part.
    const entry = new binding.AsyncEntry(service, account, { linux: { store: 'secret-service' } })
    return use(entry)
  }

  async function call<T>(account: string, use: (entry: KeyringEntry) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(keychainUnavailable('timeout', undefined, timeoutMs)), timeoutMs)
      // A keyring that never answers must not keep glt running after it has reported the failure.
      timer.unref()
    })
    try {
      return await Promise.race([withEntry(account, use), timeout])
    } catch (error) {
      if (error instanceof KeychainUnavailableError) throw error
      throw keychainUnavailable(classifyKeyringFailure(error), error)
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    async get(account) {
      const secret = await call(account, (entry) => entry.getPassword())
      return secret ?? undefined
    },
    async set(account, secret) {
      await call(account, (entry) => entry.setPassword(secret))
    },
    async delete(account) {
      return call(account, (entry) => entry.deletePassword())
    },
  }
}

/** A keychain held in a Map: for tests of the modules that use one. */
export function createMemoryKeychain(initial: Record<string, string> = {}): Keychain {
  const secrets = new Map(Object.entries(initial))
  return {
    async get(account) {
      return secrets.get(account)
    },
    async set(account, secret) {
      secrets.set(account, secret)
    },
    async delete(account) {
      return secrets.delete(account)
    },
  }
}

/** A keychain whose every call fails as the OS keychain does on a machine without a Secret Service: for tests of the fallbacks. */
export function createUnavailableKeychain(): Keychain {
  const fail = async (): Promise<never> => {
    throw keychainUnavailable('no-service')
  }
  return { get: fail, set: fail, delete: fail }
}

type FailureReason = 'unsupported' | 'no-service' | 'no-keyring' | 'locked' | 'timeout' | 'refused'

/** Sorts `@napi-rs/keyring` (keyring-rs) errors by what the user can do about them; texts as measured with gnome-keyring. */
function classifyKeyringFailure(error: unknown): FailureReason {
  const text = error instanceof Error ? error.message : String(error)
  if (/Failed to connect to socket|autolaunch|DBUS_SESSION_BUS_ADDRESS|was not provided by any \.service files|ServiceUnknown|NoServer/i.test(text)) return 'no-service'
  if (/Did not receive a reply|timed? ?out/i.test(text)) return 'timeout'
  if (/unlock prompt was dismissed|\blocked\b/i.test(text)) return 'locked'
  // gnome-keyring without a default collection (never set up, and no prompt to create one).
  if (/no result found/i.test(text)) return 'no-keyring'
  return 'refused'
}

const fallbackHint =
  'Put the token in an environment variable instead (GLT_TRIGGER_TOKEN for a trigger token, GITLAB_TOKEN for a personal access token), ' +
  'or save it in a plain-text file with --insecure-storage.'

function keychainUnavailable(reason: FailureReason, cause?: unknown, timeoutMs?: number): KeychainUnavailableError {
  const { message, hint, key } = describeFailure(reason, timeoutMs)
  return new KeychainUnavailableError(message, { hint, key, cause })
}

function describeFailure(reason: FailureReason, timeoutMs: number | undefined): { message: string; hint: string; key: string } {
  switch (reason) {
    case 'unsupported':
      return { message: 'The OS keychain is not supported on this platform.', hint: fallbackHint, key: 'keychain-unavailable' }
    case 'no-service':
      return {
        message: 'The OS keychain is unavailable: no Secret Service (such as gnome-keyring) is running on the D-Bus session bus.',
        hint: fallbackHint,
        key: 'keychain-unavailable',
      }
    case 'no-keyring':
      return {
        message: 'The OS keychain is unavailable: the Secret Service has no default keyring to store secrets in.',
        hint: `Create one with your desktop's keyring tool (e.g. Seahorse). ${fallbackHint}`,
        key: 'keychain-unavailable',
      }
    case 'locked':
      return {
        message: 'The OS keychain is locked.',
        hint: `Unlock it (log in to your desktop session, or use your keyring tool). ${fallbackHint}`,
        key: 'keychain-locked',
      }
    case 'timeout':
      return {
        message: timeoutMs === undefined
          ? 'The OS keychain did not answer (D-Bus time-out).'
          : `The OS keychain did not answer within ${formatSeconds(timeoutMs)}.`,
        hint: fallbackHint,
        key: 'keychain-timeout',
      }
    case 'refused':
      // The library's own text stays in `cause` (shown with --debug): glt's messages are all its own.
      return {
        message: 'The OS keychain refused the call.',
        hint: `Rerun with --debug to see why. ${fallbackHint}`,
        key: 'keychain-unavailable',
      }
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
