import { UsageError } from '../errors.ts'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * Parses `500ms`, `30s`, `5m`, `1h` or a bare number of seconds (`30`, `1.5`) into milliseconds.
 * `flag` names the option in the error, so the user knows which value to fix.
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text)
  if (match === null) {
    throw new UsageError(`invalid duration for ${flag}: "${text}"`, {
      hint: 'Use a number of seconds or a value such as 500ms, 30s, 5m or 1h.',
      key: 'invalid-duration',
    })
  }
  const ms = Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000))
  if (ms < 1) {
    throw new UsageError(`${flag} must be at least 1ms, got "${text}"`, { hint: `For example: ${flag} 30s.`, key: 'invalid-duration' })
  }
  if (!(ms <= MAX_DURATION_MS)) {
    throw new UsageError(`${flag} can be at most 596h (about 24 days), got "${text}"`, {
      hint: `Give a shorter one, such as ${flag} 24h.`,
      key: 'invalid-duration',
    })
  }
  return ms
}

/** Node's timers hold at most 2^31-1 ms; a longer one fires at once (TimeoutOverflowWarning). */
const MAX_DURATION_MS = 2 ** 31 - 1

/** `30000` → `30s`, `90000` → `1m30s`: how durations read back in messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  if (ms < 60_000 && ms % 1000 !== 0) return `${Number((ms / 1000).toFixed(1))}s`
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  return [hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', seconds || (!hours && !minutes) ? `${seconds}s` : ''].join('')
}
