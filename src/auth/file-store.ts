import { isAbsolute, join } from 'node:path'
import type { Keychain } from './keychain.ts'
import { isRecord, readJsonFile, storedFileError, writeJsonFileAtomically } from './json-file.ts'

/**
 * glt's config directory: `$XDG_CONFIG_HOME/glt`, or `~/.config/glt`. A relative
 * XDG_CONFIG_HOME is ignored, as the XDG Base Directory specification requires.
 */
export function configDirFrom(env: Record<string, string | undefined>, homedir: string): string {
  const xdgConfigHome = env['XDG_CONFIG_HOME']
  const base = xdgConfigHome !== undefined && isAbsolute(xdgConfigHome) ? xdgConfigHome : join(homedir, '.config')
  return join(base, 'glt')
}

export interface FileStore extends Keychain {
  /** The credentials file, for messages such as "saved to ...". */
  readonly path: string
}

/** Version 1 of credentials.json: `{ "version": 1, "credentials": { "<account>": "<secret>" } }`. */
interface CredentialsFile {
  version: 1
  credentials: Record<string, string>
}

/**
 * The plain-text store behind `--insecure-storage`: `<configDir>/credentials.json`, mode 0600.
 * Only for machines without a usable OS keychain, and only when the user asks for it.
 */
export function createFileStore(options: { configDir: string }): FileStore {
  const path = join(options.configDir, 'credentials.json')

  async function load(): Promise<Map<string, string>> {
    const content = await readJsonFile(path)
    if (content === undefined) return new Map()
    if (!isCredentialsFile(content)) throw storedFileError(`${path} is not a glt credentials file (version 1).`)
    return new Map(Object.entries(content.credentials))
  }

  async function save(credentials: Map<string, string>): Promise<void> {
    const content: CredentialsFile = { version: 1, credentials: Object.fromEntries(credentials) }
    await writeJsonFileAtomically(path, content)
  }

  return {
    path,
    async get(account) {
      return (await load()).get(account)
    },
    async set(account, secret) {
      const credentials = await load()
      credentials.set(account, secret)
      await save(credentials)
    },
    async delete(account) {
      const credentials = await load()
      if (!credentials.delete(account)) return false
      await save(credentials)
      return true
    },
  }
}

function isCredentialsFile(value: unknown): value is CredentialsFile {
  return isRecord(value) && value['version'] === 1 && isRecord(value['credentials']) &&
    Object.values(value['credentials']).every((secret) => typeof secret === 'string')
}
