import { describe, expect, it } from 'vitest'
import { UsageError } from '../src/errors.ts'
import { mergeVariables, parseDotenv, parseInputArgument, parseVariableArgument } from '../src/vars.ts'

describe('parseVariableArgument', () => {
  it.each([
    ['KEY=value', 'KEY', 'value'],
    ['KEY=a=b=c', 'KEY', 'a=b=c'],
    ['KEY=', 'KEY', ''],
    ['KEY=two words', 'KEY', 'two words'],
    ['KEY=line1\nline2', 'KEY', 'line1\nline2'],
    ['KEY=ünï ☃', 'KEY', 'ünï ☃'],
    ['lower_123=x', 'lower_123', 'x'],
  ])('%j → %s=%j', (text, key, value) => {
    expect(parseVariableArgument(text, {})).toEqual({ key, value, origin: 'argument' })
  })

  it('takes a bare KEY from the environment', () => {
    expect(parseVariableArgument('SECRET', { SECRET: 's3cr3t' })).toEqual({ key: 'SECRET', value: 's3cr3t', origin: 'environment' })
  })

  it('does not mistake Object.prototype for the environment', () => {
    expect(() => parseVariableArgument('toString', {})).toThrow('environment variable toString is not set')
  })

  it('is a usage error when the environment variable is unset', () => {
    expect(() => parseVariableArgument('MISSING', {})).toThrow('--var MISSING: environment variable MISSING is not set')
  })

  it.each(['=value', 'A-B=1', 'A B=1', 'A.B=1', 'Ü=1', '[x]=1', ''])('rejects the key of %j', (text) => {
    expect(() => parseVariableArgument(text, {})).toThrow(UsageError)
  })
})

describe('parseDotenv', () => {
  it('reads comments, blank lines, export, quotes and escapes', () => {
    const text = [
      '# deploy settings',
      '',
      'PLAIN=value # trailing comment',
      'export EXPORTED=yes',
      "SINGLE='literal $HOME \\n'",
      'DOUBLE="line1\\nline2 \\"quoted\\""',
      'EMPTY=',
      'SPACED = padded ',
      'MULTI="first',
      'second"',
      'HASH=a#b',
    ].join('\n')
    expect(parseDotenv(text, 'deploy.env').map((v) => [v.key, v.value])).toEqual([
      ['PLAIN', 'value'],
      ['EXPORTED', 'yes'],
      ['SINGLE', 'literal $HOME \\n'],
      ['DOUBLE', 'line1\nline2 "quoted"'],
      ['EMPTY', ''],
      ['SPACED', 'padded'],
      ['MULTI', 'first\nsecond'],
      ['HASH', 'a#b'],
    ])
  })

  it.each([
    ['NOEQUALS', 'deploy.env:1: expected KEY=VALUE'],
    ['A=1\nBAD-KEY=2', 'invalid variable name "BAD-KEY" in deploy.env:2'],
    ['A="open', 'deploy.env:1: unterminated double quote'],
    ["A='x' y", 'deploy.env:1: unexpected text after the quoted value of A'],
  ])('reports %j with the line', (text, message) => {
    expect(() => parseDotenv(text, 'deploy.env')).toThrow(message)
  })

  it('handles CRLF line endings and a byte-order mark', () => {
    expect(parseDotenv('\uFEFFA=1\r\nB=2\r\n', 'f').map((v) => [v.key, v.value])).toEqual([
      ['A', '1'],
      ['B', '2'],
    ])
  })
})

describe('mergeVariables', () => {
  it('keeps the last value given for a key', () => {
    const merged = mergeVariables([
      { key: 'A', value: '1', origin: 'file' },
      { key: 'B', value: '2', origin: 'file' },
      { key: 'A', value: '3', origin: 'argument' },
    ])
    expect([...merged.values()].map((v) => [v.key, v.value])).toEqual([
      ['B', '2'],
      ['A', '3'],
    ])
  })
})

describe('parseInputArgument', () => {
  it.each([
    ['env=prod', 'env', 'prod'],
    ['env=', 'env', ''],
    ['msg=a:=b', 'msg', 'a:=b'],
    ['replicas:=3', 'replicas', 3],
    ['debug:=true', 'debug', true],
    ['regions:=["eu","us"]', 'regions', ['eu', 'us']],
    ['quoted:="text"', 'quoted', 'text'],
    ['my-input=x', 'my-input', 'x'],
  ])('%j → %s', (text, name, value) => {
    expect(parseInputArgument(text)).toEqual({ name, value })
  })

  it.each(['noequals', '=x', ':=1', 'n:=nope', 'n:={', 'bad name=1'])('rejects %j', (text) => {
    expect(() => parseInputArgument(text)).toThrow(UsageError)
  })

  it.each([
    ['x:=1e999', 'Infinity'],
    ['y:=12345678901234567890', '12345678901234567000'],
    ['z:=[1, {"deep": -1e400}]', '-Infinity'],
  ])('rejects %j, a number JSON would not carry as typed', (text, shown) => {
    expect(() => parseInputArgument(text)).toThrow(`holds a number glt cannot send exactly: ${shown}`)
  })

  it('keeps fractions and safe integers', () => {
    expect(parseInputArgument('ratio:=0.1').value).toBe(0.1)
    expect(parseInputArgument('big:=9007199254740991').value).toBe(9007199254740991)
  })
})
