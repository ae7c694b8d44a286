import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Every failure glt reports carries a `key` (GltErrorOptions in src/errors.ts); the README's
// Troubleshooting section explains each one in an entry that starts with the key:
//   - `trigger-404` **GitLab answered 404 Not Found: …** (exit 3)
// so `grep -n '^- `trigger-404`' README.md` finds it, and this file finds the ones missing.
const root = fileURLToPath(new URL('..', import.meta.url))
const ERROR_CLASSES = 'UsageError|AuthError|ApiError|NetworkError|KeychainUnavailableError|CancelledError|PipelineFailedError|WaitTimeoutError'

function sourceFiles(): { file: string; text: string }[] {
  const dir = path.join(root, 'src')
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file: `src/${file.split(path.sep).join('/')}`, text: readFileSync(path.join(dir, file), 'utf8') }))
}

/** `key: 'trigger-404'` anywhere in src/: in error options, and in objects that become them. */
function keysInSource(): Set<string> {
  const keys = new Set<string>()
  for (const { text } of sourceFiles()) {
    for (const match of text.matchAll(/\bkey:\s*(['"`])([a-z0-9-]+)\1/g)) keys.add(match[2]!)
  }
  return keys
}

function troubleshootingSection(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const start = readme.indexOf('\n## Troubleshooting\n')
  expect(start, 'README.md has a "## Troubleshooting" section').toBeGreaterThan(-1)
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end === -1 ? undefined : end)
}

function entryKeys(): string[] {
  return [...troubleshootingSection().matchAll(/^- `([a-z0-9-]+)`/gm)].map((match) => match[1]!)
}

/** The text of a `new XError(...)` call: up to its closing parenthesis. */
function callText(text: string, open: number): string {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++
    if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1)
  }
  return text.slice(open)
}

describe('README troubleshooting', () => {
  it('has an entry for every error key used in src/', () => {
    const keys = keysInSource()
    expect(keys.size).toBeGreaterThan(40)
    const documented = new Set(entryKeys())
    expect([...keys].filter((key) => !documented.has(key)).sort()).toEqual([])
  })

  it('has no entry for a key glt no longer uses, and one entry per key', () => {
    const keys = keysInSource()
    const entries = entryKeys()
    expect(entries.filter((key) => !keys.has(key))).toEqual([])
    expect(entries.filter((key, index) => entries.indexOf(key) !== index)).toEqual([])
  })

  it('every error glt constructs in src/ gives a key (or passes on options that carry one)', () => {
    const keyless = sourceFiles().flatMap(({ file, text }) =>
      [...text.matchAll(new RegExp(`new (?:${ERROR_CLASSES})\\(`, 'g'))]
        .map((match) => ({ at: match.index, call: callText(text, match.index + match[0].length - 1) }))
        // `options` / `{ hint, key, cause }`: an error rebuilt from another's options, which has a key.
        .filter(({ call }) => !/\bkey\b|\boptions\)$/.test(call))
        .map(({ at }) => `${file}:${text.slice(0, at).split('\n').length}`),
    )
    expect(keyless).toEqual([])
  })
})

describe("README's Environment table", () => {
  it('names every variable glt help environment lists', async () => {
    const { ENVIRONMENT } = await import('../src/help-topics.ts')
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
    const start = readme.indexOf('\n## Environment\n')
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1))
    const named = new Set([...section.matchAll(/`([A-Z_]+)(?:=[^`]*)?`/g)].map((match) => match[1]!))
    expect(ENVIRONMENT.flatMap((entry) => entry.names).filter((name) => !named.has(name))).toEqual([])
  })
})
