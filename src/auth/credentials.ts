import type { GitLabHost } from '../config/host.ts'
import { isNumericProjectId, normalizeProject } from '../gitlab/encode.ts'
import type { AccountEntry, AccountIndex, CredentialStore, PatAccountEntry, TriggerAccountEntry } from './account-index.ts'
import type { Keychain } from './keychain.ts'

export type { CredentialStore } from './account-index.ts'

/** A secret found in a store, with the index entry that says where it lives. */
export interface StoredSecret<E extends AccountEntry = AccountEntry> {
  token: string
  store: CredentialStore
  entry: E
}

/** The project a trigger token belongs to, by every name glt knows for it. */
export interface ProjectNames {
  id?: number | undefined
  paths: string[]
}

/**
 * glt's saved credentials: personal access tokens per host and trigger tokens per host and project.
 * Secrets live in the OS keychain (or, opted in, the plain file); the index says which exist and
 * where, so lookups never list the keychain and a machine without one costs nothing until asked.
 * Entries are keyed by host name: a token saved for one host is never found for another.
 */
export interface Credentials {
  findPat(host: GitLabHost): Promise<StoredSecret<PatAccountEntry> | undefined>
  savePat(host: GitLabHost, token: string, store: CredentialStore): Promise<void>
  forgetPat(host: GitLabHost): Promise<boolean>
  /** `project` is an ID or a path: a token saved under one is found by the other once both are known. */
  findTriggerToken(host: GitLabHost, project: string): Promise<StoredSecret<TriggerAccountEntry> | undefined>
  saveTriggerToken(host: GitLabHost, project: ProjectNames, token: string, store: CredentialStore): Promise<TriggerAccountEntry>
  forgetTriggerToken(host: GitLabHost, project: string): Promise<boolean>
  /** Records that `id` and `path` name the same project, for the next lookup by either. */
  learnProjectNames(host: GitLabHost, project: string, names: ProjectNames): Promise<void>
  list(host?: GitLabHost): Promise<AccountEntry[]>
  /** Fails as a save would when `store` cannot be reached, so a command can stop before it changes anything on GitLab. */
  checkStore(store: CredentialStore): Promise<void>
}

export interface CredentialsOptions {
  keychain: Keychain
  file: Keychain
  index: AccountIndex
  now(): Date
}

export function createCredentials(options: CredentialsOptions): Credentials {
  const { index } = options
  const storeOf = (store: CredentialStore) => (store === 'file' ? options.file : options.keychain)

  async function read<E extends AccountEntry>(entry: E | undefined): Promise<StoredSecret<E> | undefined> {
    if (entry === undefined) return undefined
    const token = await storeOf(entry.store).get(entry.account)
    return token === undefined ? undefined : { token, store: entry.store, entry }
  }

  async function findTriggerEntry(host: GitLabHost, project: string): Promise<TriggerAccountEntry | undefined> {
    const wanted = normalizeProject(project)
    const entries = (await index.list()).filter((e): e is TriggerAccountEntry => e.kind === 'trigger' && e.host === host.name)
    return entries.find((entry) =>
      isNumericProjectId(wanted)
        ? entry.projectId === Number(wanted)
        : entry.projectPaths.some((path) => path.toLowerCase() === wanted.toLowerCase()),
    )
  }

  /** Writes the new secret first, then the index, then removes a copy left in the other store. */
  async function write(entry: AccountEntry, token: string, previous: AccountEntry | undefined): Promise<void> {
    await storeOf(entry.store).set(entry.account, token)
    await index.record(entry)
    if (previous && (previous.store !== entry.store || previous.account !== entry.account)) {
      await storeOf(previous.store).delete(previous.account).catch(() => false)
      if (previous.account !== entry.account) await index.remove(previous.account)
    }
  }

  async function forget(entry: AccountEntry | undefined): Promise<boolean> {
    if (entry === undefined) return false
    await storeOf(entry.store).delete(entry.account)
    return index.remove(entry.account)
  }

  return {
    async findPat(host) {
      const entry = (await index.list()).find((e): e is PatAccountEntry => e.kind === 'pat' && e.host === host.name)
      return read(entry)
    },

    async savePat(host, token, store) {
      const previous = (await index.list()).find((e) => e.kind === 'pat' && e.host === host.name)
      const entry: PatAccountEntry = { kind: 'pat', account: `pat@${host.name}`, host: host.name, store, savedAt: options.now().toISOString() }
      await write(entry, token, previous)
    },

    async forgetPat(host) {
      return forget((await index.list()).find((e) => e.kind === 'pat' && e.host === host.name))
    },

    async findTriggerToken(host, project) {
      return read(await findTriggerEntry(host, project))
    },

    async saveTriggerToken(host, project, token, store) {
      const previous =
        (project.id !== undefined ? await findTriggerEntry(host, String(project.id)) : undefined) ??
        (await firstDefined(project.paths.map((path) => () => findTriggerEntry(host, path))))
      const paths = unique([...(previous?.kind === 'trigger' ? previous.projectPaths : []), ...project.paths])
      const id = project.id ?? (previous?.kind === 'trigger' ? previous.projectId : undefined)
      const key = id !== undefined ? String(id) : paths[0]
      if (key === undefined) throw new Error('saveTriggerToken needs a project ID or path')
      const entry: TriggerAccountEntry = {
        kind: 'trigger',
        account: `trigger@${host.name}/${key}`,
        host: host.name,
        store,
        savedAt: options.now().toISOString(),
        projectPaths: paths,
        ...(id !== undefined ? { projectId: id } : {}),
      }
      await write(entry, token, previous)
      return entry
    },

    async forgetTriggerToken(host, project) {
      return forget(await findTriggerEntry(host, project))
    },

    async learnProjectNames(host, project, names) {
      const entry = await findTriggerEntry(host, project)
      if (entry === undefined) return
      const paths = unique([...entry.projectPaths, ...names.paths])
      const id = entry.projectId ?? names.id
      if (paths.length === entry.projectPaths.length && id === entry.projectId) return
      await index.record({ ...entry, projectPaths: paths, ...(id !== undefined ? { projectId: id } : {}) })
    },

    async list(host) {
      const entries = await index.list()
      return host ? entries.filter((entry) => entry.host === host.name) : entries
    },

    async checkStore(store) {
      // Every save writes the index, and the file store writes beside it: the folder must take it.
      await index.checkWritable()
      // A read of an account nobody uses: as slow and as failing as a keychain write, without writing.
      if (store === 'keychain') await options.keychain.get('glt-availability-check')
    },
  }
}

function unique(paths: string[]): string[] {
  const seen = new Set<string>()
  return paths.filter((path) => {
    const key = path.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

async function firstDefined<T>(lookups: (() => Promise<T | undefined>)[]): Promise<T | undefined> {
  for (const lookup of lookups) {
    const found = await lookup()
    if (found !== undefined) return found
  }
  return undefined
}
