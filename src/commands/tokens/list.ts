import type { Command } from 'commander'
import type { StoredSecret } from '../../auth/credentials.ts'
import type { TriggerAccountEntry } from '../../auth/account-index.ts'
import type { GitLabHost } from '../../config/host.ts'
import type { CommandContext, Deps } from '../../deps.ts'
import { KeychainUnavailableError } from '../../errors.ts'
import { isTruncatedToken, listTriggerTokens, type TriggerToken } from '../../gitlab/triggers.ts'
import { maskSecret } from '../../redact.ts'
import { startSpinner, type IO } from '../../ui/io.ts'
import { formatRelativeTime, writeTable, type TableColumn } from '../../ui/table.ts'
import { hostOption, openApiSession, PROJECT_DESCRIPTION, PROJECT_FLAGS, savedMatch, type ApiDeps } from './common.ts'

export interface ListOptions {
  host: GitLabHost
  project?: string | undefined
  json: boolean
  /** Print the tokens GitLab shows in full unmasked. */
  showToken: boolean
}

export type ListDeps = ApiDeps & Pick<Deps, 'now'>

const COLUMNS: TableColumn[] = [
  { header: 'ID' },
  { header: 'DESCRIPTION', maxWidth: 40 },
  { header: 'OWNER' },
  { header: 'CREATED' },
  { header: 'LAST USED' },
  { header: 'EXPIRES' },
  { header: 'TOKEN' },
  { header: 'SAVED' },
]

export async function run(options: ListOptions, deps: ListDeps): Promise<void> {
  const { io } = deps
  const session = await openApiSession(options, deps)
  const spinner = await startSpinner(io, `Listing the trigger tokens of ${session.project}`)
  let tokens: TriggerToken[]
  try {
    tokens = await listTriggerTokens(session.client, session.credential, session.project)
  } finally {
    spinner.stop()
  }

  if (options.json) {
    // GitLab's objects as they came, but for the token: masked unless asked for.
    const shown = tokens.map((trigger) => ({ ...trigger, token: displayToken(trigger.token, options.showToken) }))
    io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`)
    return
  }
  if (tokens.length === 0) {
    io.stderr.write(`No trigger tokens in ${session.project}. Create one with: glt tokens create -p ${session.project}\n`)
    return
  }

  const stored = await findStored(options.host, session.project, deps)
  const marks = markSaved(tokens, stored)
  const now = deps.now()
  const rows = tokens.map((trigger, i) => row(trigger, marks[i], options.showToken, io.stdoutIsTTY, now, io))
  writeTable(io, COLUMNS, rows)

  if (io.stdoutIsTTY && marks.some((mark) => mark?.endsWith('?'))) {
    io.stderr.write(io.err.dim("? GitLab shows only the first 4 characters of other members' tokens: the saved token may be one of those marked.\n"))
  }
  if (io.stderrIsTTY && !options.showToken && tokens.some((t) => !isTruncatedToken(t.token))) {
    io.stderr.write(io.err.dim('Tokens are masked; add --show-token to print them in full.\n'))
  }
}

/**
 * The SAVED column: where the saved token lives, on the row whose token equals it; failing that,
 * `keychain?` on each row GitLab cut to 4 characters that the saved token starts with (GitLab shows
 * other members' tokens that way, so any of them may be it).
 */
function markSaved(tokens: readonly TriggerToken[], stored: StoredSecret<TriggerAccountEntry> | undefined): (string | undefined)[] {
  const listed = tokens.map((trigger) => trigger.token)
  return tokens.map((trigger) => {
    const match = savedMatch(trigger.token, stored, listed)
    if (stored === undefined || match === undefined) return undefined
    return match === 'exact' ? stored.store : `${stored.store}?`
  })
}

function row(trigger: TriggerToken, mark: string | undefined, showToken: boolean, tty: boolean, now: Date, io: Pick<IO, 'out'>): string[] {
  const saved = mark ?? ''
  const expiresAt = trigger.expires_at ?? null
  if (!tty) {
    return [
      String(trigger.id),
      trigger.description ?? '',
      trigger.owner?.username ?? '',
      trigger.created_at,
      trigger.last_used ?? '',
      expiresAt ?? '',
      displayToken(trigger.token, showToken),
      saved,
    ]
  }
  return [
    String(trigger.id),
    trigger.description ?? '',
    trigger.owner?.username ?? io.out.dim('-'),
    relative(trigger.created_at, now),
    trigger.last_used === null ? io.out.dim('never') : relative(trigger.last_used, now),
    expiresAt === null ? io.out.dim('never') : describeExpiry(expiresAt, now, io),
    isTruncatedToken(trigger.token) ? io.out.dim(trigger.token) : displayToken(trigger.token, showToken),
    saved.endsWith('?') ? saved : io.out.green(saved),
  ]
}

/** Masked (`glptt-…ab12`) unless asked for; a token GitLab cut to 4 characters is shown as GitLab sent it. */
function displayToken(token: string, showToken: boolean): string {
  return showToken || isTruncatedToken(token) ? token : maskSecret(token)
}

function relative(time: string, now: Date): string {
  const parsed = parseTime(time)
  return parsed === undefined ? time : formatRelativeTime(parsed, now)
}

function describeExpiry(expiresAt: string, now: Date, io: Pick<IO, 'out'>): string {
  const parsed = parseTime(expiresAt)
  if (parsed === undefined) return expiresAt
  return parsed.getTime() <= now.getTime() ? io.out.red(`expired ${formatRelativeTime(parsed, now)}`) : formatRelativeTime(parsed, now)
}

/** GitLab's times are ISO 8601; a bare date means its start, in UTC. */
function parseTime(text: string): Date | undefined {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text)
  return Number.isNaN(ms) ? undefined : new Date(ms)
}

/** The token saved for this project, to mark it; a keychain that cannot be read only loses the mark. */
async function findStored(host: GitLabHost, project: string, deps: ListDeps): Promise<StoredSecret<TriggerAccountEntry> | undefined> {
  try {
    return await deps.credentials.findTriggerToken(host, project)
  } catch (error) {
    if (!(error instanceof KeychainUnavailableError)) throw error
    deps.io.stderr.write(`${deps.io.err.yellow('!')} ${error.message} Saved tokens are not marked.\n`)
    return undefined
  }
}

export function register(tokens: Command, context: CommandContext, runFn = run): void {
  tokens
    .command('list')
    .alias('ls')
    .description("List a project's pipeline trigger tokens")
    .option(PROJECT_FLAGS, PROJECT_DESCRIPTION)
    .option('--json', "print GitLab's trigger token objects as JSON (tokens masked unless --show-token)")
    .option('--show-token', 'print your own tokens in full (GitLab shows only 4 characters of the others)')
    .addOption(hostOption())
    .addHelpText(
      'after',
      `
In a terminal: a table with relative times; SAVED says where glt keeps the token (keychain or
file; "?" when GitLab shows too little of it to be sure). In a pipe: tab-separated values, no
header, ISO 8601 times, in the same column order.

Examples:
  $ glt tokens list -p group/app
  $ glt tokens list -p 1234 --json | jq '.[] | select(.last_used == null) | .id'
  $ glt tokens list --show-token | cut -f1,7`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const deps = context.deps()
      await runFn(
        {
          host: context.host(flags.host as string | undefined),
          project: flags.project as string | undefined,
          json: flags.json === true,
          showToken: flags.showToken === true,
        },
        deps,
      )
    })
}
