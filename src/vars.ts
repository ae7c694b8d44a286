import { UsageError } from './errors.ts'
import type { Env } from './config/env.ts'
import type { InputValue } from './gitlab/encode.ts'

/** GitLab accepts variable keys of letters, digits and `_` only (1 to 255 characters). */
const VARIABLE_KEY = /^[A-Za-z0-9_]{1,255}$/
/** Input names as GitLab's `spec:inputs` allows them. */
const INPUT_NAME = /^[A-Za-z0-9_-]{1,255}$/

/** One `--var`/`--var-file` occurrence, kept in command-line order so that the last value wins. */
export type VariableSource = { kind: 'pair'; text: string } | { kind: 'file'; path: string }

export interface ParsedVariable {
  key: string
  value: string
  /** Where the value came from: `--var KEY` from the environment is printed as `$KEY` by `--dry-run`. */
  origin: 'argument' | 'environment' | 'file'
}

export function validateVariableKey(key: string, context: string): string {
  if (!VARIABLE_KEY.test(key)) {
    throw new UsageError(`invalid variable name ${JSON.stringify(key)} in ${context}`, {
      hint: 'Variable names may contain only letters, digits and _ (for example DEPLOY_ENV).',
      key: 'invalid-variable',
    })
  }
  return key
}

/** `KEY=VALUE` splits on the first `=`; a bare `KEY` takes the environment variable KEY. */
export function parseVariableArgument(text: string, env: Env): ParsedVariable {
  const eq = text.indexOf('=')
  if (eq === -1) {
    const key = validateVariableKey(text, '--var')
    // Own properties only: `--var toString` must not find Object.prototype.toString (found by fuzzing).
    const value = Object.hasOwn(env, key) ? env[key] : undefined
    if (value === undefined) {
      throw new UsageError(`--var ${key}: environment variable ${key} is not set`, {
        hint: `Export ${key} first, or pass --var ${key}=VALUE.`,
        key: 'variable-env-unset',
      })
    }
    return { key, value, origin: 'environment' }
  }
  const key = validateVariableKey(text.slice(0, eq), '--var')
  return { key, value: text.slice(eq + 1), origin: 'argument' }
}

/**
 * Dotenv as most tools read it: `KEY=value`, `export KEY=value`, blank lines, `#` comments,
 * 'single quotes' (literal), "double quotes" (with \n, \t, \", \\ escapes, may span lines),
 * and unquoted values with trailing ` # comments` removed.
 */
export function parseDotenv(text: string, fileName: string): ParsedVariable[] {
  const result: ParsedVariable[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = i + 1
    const line = (lines[i] ?? '').trim()
    if (line === '' || line.startsWith('#')) continue
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line)
    if (match === null) {
      throw new UsageError(`${fileName}:${lineNumber}: expected KEY=VALUE`, {
        hint: 'Each line of a --var-file is KEY=VALUE, a comment starting with #, or blank.',
        key: 'invalid-var-file',
      })
    }
    const key = validateVariableKey(match[1] ?? '', `${fileName}:${lineNumber}`)
    let raw = match[2] ?? ''
    let value: string
    const quote = raw[0]
    if (quote === '"' || quote === "'") {
      // A quoted value may continue over several lines until its closing quote.
      let closing = findClosingQuote(raw, quote)
      while (closing === -1 && i + 1 < lines.length) {
        i++
        raw += `\n${lines[i] ?? ''}`
        closing = findClosingQuote(raw, quote)
      }
      if (closing === -1) {
        throw new UsageError(`${fileName}:${lineNumber}: unterminated ${quote === '"' ? 'double' : 'single'} quote`, {
          hint: `Close the value of ${key} with ${quote}.`,
          key: 'invalid-var-file',
        })
      }
      const rest = raw.slice(closing + 1).trim()
      if (rest !== '' && !rest.startsWith('#')) {
        throw new UsageError(`${fileName}:${lineNumber}: unexpected text after the quoted value of ${key}`, {
          hint: 'Put comments after a space and #, or quote the whole value.',
          key: 'invalid-var-file',
        })
      }
      const inner = raw.slice(1, closing)
      value = quote === "'" ? inner : unescapeDoubleQuoted(inner)
    } else {
      value = raw.replace(/\s+#.*$/, '').trim()
    }
    result.push({ key, value, origin: 'file' })
  }
  return result
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++
      continue
    }
    if (text[i] === quote) return i
  }
  return -1
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([nrt"\\$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c)
}

/** Later occurrences of a key replace earlier ones, whatever their source. */
export function mergeVariables(variables: readonly ParsedVariable[]): Map<string, ParsedVariable> {
  const merged = new Map<string, ParsedVariable>()
  for (const variable of variables) {
    merged.delete(variable.key) // keep the order of last appearance
    merged.set(variable.key, variable)
  }
  return merged
}

/** `NAME=VALUE` is a string input; `NAME:=JSON` a typed one, as HTTPie's `:=`. */
export function parseInputArgument(text: string): { name: string; value: InputValue } {
  const eq = text.indexOf('=')
  if (eq === -1) {
    throw new UsageError(`--input ${JSON.stringify(text)}: expected NAME=VALUE or NAME:=JSON`, {
      hint: 'For example --input environment=staging or --input replicas:=3.',
      key: 'invalid-input',
    })
  }
  const typed = eq > 0 && text[eq - 1] === ':'
  const name = text.slice(0, typed ? eq - 1 : eq)
  if (!INPUT_NAME.test(name)) {
    throw new UsageError(`invalid input name ${JSON.stringify(name)} in --input`, {
      hint: 'Input names may contain letters, digits, _ and -.',
      key: 'invalid-input',
    })
  }
  const raw = text.slice(eq + 1)
  if (!typed) return { name, value: raw }
  let value: InputValue
  try {
    value = JSON.parse(raw) as InputValue
  } catch {
    throw new UsageError(`--input ${name}:= needs valid JSON, got ${JSON.stringify(raw)}`, {
      hint: `Use JSON such as ${name}:=3, ${name}:=true or ${name}:='["a","b"]'; for a plain string use ${name}=VALUE.`,
      key: 'invalid-input',
    })
  }
  const inexact = findInexactNumber(value)
  if (inexact !== undefined) {
    // JSON.parse turns 1e999 into Infinity (sent as null) and rounds 12345678901234567890: not what was typed.
    throw new UsageError(`--input ${name}:= holds a number glt cannot send exactly: ${inexact}`, {
      hint: `Send it as a string (${name}=VALUE) if the input takes one, or use a number within ±${Number.MAX_SAFE_INTEGER}.`,
      key: 'invalid-input',
    })
  }
  return { name, value }
}

/** A number in the parsed value that is infinite or an integer beyond what a double holds exactly. */
function findInexactNumber(value: unknown): string | undefined {
  if (typeof value === 'number') return !Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)) ? String(value) : undefined
  if (value === null || typeof value !== 'object') return undefined
  for (const item of Object.values(value)) {
    const found = findInexactNumber(item)
    if (found !== undefined) return found
  }
  return undefined
}
