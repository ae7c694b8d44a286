import { join } from 'node:path'
import { checkWritableDirectory, isRecord, readJsonFile, storedFileError, writeJsonFileAtomically } from './json-file.ts'

/** Where an account's secret lives. */
export type CredentialStore = 'keychain' | 'file'

interface AccountEntryBase {
  /** The key of the secret in its store. */
  account: string
  store: CredentialStore
  /** GitLab host, e.g. `gitlab.com` or `gitlab.example.com:8443`. */
  host: string
  /** ISO 8601 time the secret was saved. */
  savedAt: string
}

export interface PatAccountEntry extends AccountEntryBase {
  kind: 'pat'
}

export interface TriggerAccountEntry extends AccountEntryBase {
  kind: 'trigger'
  /** The project's numeric id, when known. */
  projectId?: number
  /** The paths the user names the project by (`group/sub/project`); a project can have several after a move. */
  projectPaths: string[]
}

/** One saved credential, without its secret. */
export type AccountEntry = PatAccountEntry | TriggerAccountEntry

/**
 * Which accounts glt has saved, and where: `<configDir>/accounts.json`. It holds no secrets. glt
 * keeps it because listing the OS keychain (`findCredentials`) can hang forever on a stuck keyring.
 */
export interface AccountIndex {
  readonly path: string
  /** In the order they were first saved. */
  list(): Promise<AccountEntry[]>
  find(account: string): Promise<AccountEntry | undefined>
  /** Adds the entry, or replaces the one with the same account. */
  record(entry: AccountEntry): Promise<void>
  /** true when an entry was removed */
  remove(account: string): Promise<boolean>
  /** Fails as `record` would if the config folder cannot be written, without writing. */
  checkWritable(): Promise<void>
}

interface AccountIndexFile {
  version: 1
  accounts: AccountEntry[]
}

export function createAccountIndex(options: { configDir: string }): AccountIndex {
  const path = join(options.configDir, 'accounts.json')

  async function load(): Promise<AccountEntry[]> {
    const content = await readJsonFile(path)
    if (content === undefined) return []
    if (!isAccountIndexFile(content)) throw storedFileError(`${path} is not a glt account index (version 1).`)
    return content.accounts
  }

  async function save(accounts: AccountEntry[]): Promise<void> {
    const content: AccountIndexFile = { version: 1, accounts }
    await writeJsonFileAtomically(path, content)
  }

  return {
    path,
    list: load,
    async find(account) {
      return (await load()).find((entry) => entry.account === account)
    },
    async record(entry) {
      const accounts = await load()
      const index = accounts.findIndex((existing) => existing.account === entry.account)
      if (index === -1) accounts.push(entry)
      else accounts[index] = entry
      await save(accounts)
    },
    async remove(account) {
      const accounts = await load()
      const remaining = accounts.filter((entry) => entry.account !== account)
      if (remaining.length === accounts.length) return false
      await save(remaining)
      return true
    },
    checkWritable: () => checkWritableDirectory(options.configDir),
  }
}

function isAccountIndexFile(value: unknown): value is AccountIndexFile {
  return isRecord(value) && value['version'] === 1 && Array.isArray(value['accounts']) && value['accounts'].every(isAccountEntry)
}

function isAccountEntry(value: unknown): value is AccountEntry {
  if (!isRecord(value)) return false
  const { account, store, host, savedAt, kind } = value
  const common = typeof account === 'string' && (store === 'keychain' || store === 'file') &&
    typeof host === 'string' && typeof savedAt === 'string'
  if (!common) return false
  if (kind === 'pat') return true
  if (kind !== 'trigger') return false
  const { projectId, projectPaths } = value
  return (projectId === undefined || Number.isSafeInteger(projectId)) &&
    Array.isArray(projectPaths) && projectPaths.every((path) => typeof path === 'string')
}
