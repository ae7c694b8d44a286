import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration } from '../../src/config/duration.ts'
import { UsageError } from '../../src/errors.ts'

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['30', 30_000],
    ['1.5', 1500],
    [' 2m ', 120_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms))

  it.each(['', 'soon', '5 minutes', '-1s', '0', '0s', '1d', '1e3', '0.0001', '0.4ms', '2000h', '99999999999'])('rejects %j naming the flag', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(UsageError)
    expect(() => parseDuration(text, '--timeout')).toThrow(/--timeout/)
  })

  it('accepts up to what a Node timer can hold, and says the limit beyond it', () => {
    expect(parseDuration('596h', '--timeout')).toBe(596 * 3_600_000)
    expect(() => parseDuration('597h', '--timeout')).toThrow('--timeout can be at most 596h (about 24 days), got "597h"')
    expect(() => parseDuration('0.0001', '--interval')).toThrow('--interval must be at least 1ms, got "0.0001"')
  })
})

describe('formatDuration', () => {
  it.each([
    [500, '500ms'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [1500, '1.5s'],
    [3_600_000, '1h'],
  ])('%d ms reads %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})
