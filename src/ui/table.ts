import type { IO } from './io.ts'

/** A column of a table: its header (terminal only) and, in a terminal, an optional width limit. */
export interface TableColumn {
  header: string
  /** Longer cells are cut with `…` in a terminal; a pipe always gets the full value. */
  maxWidth?: number
}

/**
 * Writes rows to stdout: in a terminal, a header and aligned columns (cells may carry colour); in a
 * pipe, tab-separated values without a header, one row a line, for `cut -f` and `while read`.
 * The caller decides each cell's text for each case (relative times in a terminal, ISO in a pipe).
 */
export function writeTable(io: Pick<IO, 'stdout' | 'stdoutIsTTY' | 'out'>, columns: readonly TableColumn[], rows: readonly (readonly string[])[]): void {
  io.stdout.write(io.stdoutIsTTY ? formatAligned(columns, rows, io.out.bold) : formatTsv(rows))
}

/** `a\tb\n` per row; tabs and line breaks inside a value become spaces so each row stays one record. */
export function formatTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map((cell) => cell.replace(/[\t\r\n]+/g, ' ')).join('\t')}\n`).join('')
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function formatAligned(columns: readonly TableColumn[], rows: readonly (readonly string[])[], header: (text: string) => string = (t) => t): string {
  const cut = rows.map((row) => columns.map((column, i) => truncate(flatten(row[i] ?? ''), column.maxWidth)))
  const widths = columns.map((column, i) => Math.max(visibleWidth(column.header), ...cut.map((row) => visibleWidth(row[i] ?? ''))))
  const line = (cells: string[], style: (text: string) => string = (t) => t) =>
    `${cells
      .map((cell, i) => (i === cells.length - 1 ? style(cell) : style(cell) + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell))))
      .join('  ')
      .trimEnd()}\n`
  return line(columns.map((c) => c.header), header) + cut.map((row) => line(row)).join('')
}

function flatten(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ')
}

/** Cuts visible text (colour codes are not counted) to `max` characters, the last being `…`. */
function truncate(text: string, max: number | undefined): string {
  if (max === undefined || visibleWidth(text) <= max) return text
  // Cells that need cutting are plain text (descriptions); their colour, if any, is dropped.
  const chars = [...stripAnsi(text)]
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`
}

function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- the escape character starts every colour code
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}

const UNITS: [name: string, ms: number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
]

/** `3 days ago`, `in 2 months`, `just now`: the largest whole unit, as gh shows times in a terminal. */
export function formatRelativeTime(time: Date, now: Date): string {
  const diff = time.getTime() - now.getTime()
  const abs = Math.abs(diff)
  for (const [name, ms] of UNITS) {
    const count = Math.floor(abs / ms)
    if (count >= 1) {
      const amount = `${count} ${name}${count === 1 ? '' : 's'}`
      return diff < 0 ? `${amount} ago` : `in ${amount}`
    }
  }
  return diff < 0 ? 'just now' : 'in less than a minute'
}
