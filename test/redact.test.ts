import { describe, expect, it } from 'vitest'
import { maskSecret, redact } from '../src/redact.ts'

describe('maskSecret', () => {
  it.each([
    ['glptt-0123456789abcdef0123456789abcdefab12', 'glptt-…ab12'],
    ['glpat-aaaaaaaaaaaaaaaaaaaaXY99', 'glpat-…XY99'],
    ['0123456789abcdef0123', '…0123'],
    ['short', '…'],
    ['glptt-short', 'glptt-…'],
  ])('%s → %s', (secret, masked) => expect(maskSecret(secret)).toBe(masked))
})

describe('redact', () => {
  it('removes every form of each secret', () => {
    const secret = 'glptt-a+b/c=d e'
    const text = `raw ${secret} url ${encodeURIComponent(secret)} form ${new URLSearchParams({ s: secret }).toString()} json ${JSON.stringify(secret)}`
    const result = redact(text, [secret])
    expect(result).not.toContain('a+b/c')
    expect(result).not.toContain('a%2Bb')
    expect(result.match(/\[REDACTED\]/g)).toHaveLength(4)
  })

  it('leaves text alone when secrets are too short to be tokens', () => {
    expect(redact('a b c', ['a'])).toBe('a b c')
  })
})
