import { Chalk } from 'chalk'
import { describe, expect, it } from 'vitest'
import { formatAligned, formatRelativeTime, formatTsv, writeTable, type TableColumn } from '../../src/ui/table.ts'

const COLUMNS: TableColumn[] = [{ header: 'ID' }, { header: 'DESCRIPTION', maxWidth: 10 }, { header: 'TOKEN' }]
const ROWS = [
  ['1', 'deploy', 'glptt-…ab12'],
  ['12', 'a description far too long\tfor the column', 'glpt'],
]

function capture(stdoutIsTTY: boolean): { out: string; io: Parameters<typeof writeTable>[0] } {
  const sink = { out: '' }
  const io = { stdout: { write: (s: string) => (sink.out += s) }, stdoutIsTTY, out: new Chalk({ level: 0 }) }
  return {
    get out() {
      return sink.out
    },
    io,
  }
}

describe('writeTable', () => {
  it('in a pipe: tab-separated values, no header, nothing cut, tabs and line breaks in a value become spaces', () => {
    const target = capture(false)
    writeTable(target.io, COLUMNS, ROWS)
    expect(target.out).toBe('1\tdeploy\tglptt-…ab12\n12\ta description far too long for the column\tglpt\n')
  })

  it('in a terminal: a header, columns aligned two spaces apart, long cells cut with …, no trailing spaces', () => {
    const target = capture(true)
    writeTable(target.io, COLUMNS, ROWS)
    expect(target.out).toBe(
      ['ID  DESCRIPTION  TOKEN', '1   deploy       glptt-…ab12', '12  a descrip…   glpt', ''].join('\n'),
    )
  })
})

describe('formatAligned', () => {
  it('measures cells without their colour codes and styles only the header', () => {
    const chalk = new Chalk({ level: 1 })
    const text = formatAligned([{ header: 'A' }, { header: 'B' }], [[chalk.green('x'), 'y']], (t) => `<${t}>`)
    expect(text).toBe(`<A>  <B>\n${chalk.green('x')}  y\n`)
  })

  it('cuts a coloured cell to plain text when it is too long', () => {
    const chalk = new Chalk({ level: 1 })
    expect(formatAligned([{ header: 'D', maxWidth: 4 }], [[chalk.red('abcdef')]])).toBe('D\nabc…\n')
  })

  it('an empty last cell leaves no trailing spaces; a missing cell is empty', () => {
    expect(formatAligned([{ header: 'ID' }, { header: 'SAVED' }], [['1', ''], ['22']])).toBe('ID  SAVED\n1\n22\n')
  })
})

describe('formatTsv', () => {
  it('one record a line, even for values with carriage returns', () => {
    expect(formatTsv([['a\r\nb', 'c']])).toBe('a b\tc\n')
  })
})

describe('formatRelativeTime', () => {
  const now = new Date('2026-06-15T12:00:00Z')
  const at = (iso: string) => formatRelativeTime(new Date(iso), now)

  it.each([
    ['2026-06-15T11:59:30Z', 'just now'],
    ['2026-06-15T11:59:00Z', '1 minute ago'],
    ['2026-06-15T10:00:00Z', '2 hours ago'],
    ['2026-06-14T12:00:00Z', '1 day ago'],
    ['2026-05-01T12:00:00Z', '1 month ago'],
    ['2024-06-15T12:00:00Z', '2 years ago'],
    ['2026-06-15T12:00:30Z', 'in less than a minute'],
    ['2026-06-18T12:00:00Z', 'in 3 days'],
    ['2026-12-31T00:00:00Z', 'in 6 months'],
  ])('%s → %s', (time, expected) => {
    expect(at(time)).toBe(expected)
  })
})
