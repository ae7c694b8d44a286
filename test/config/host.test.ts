import { describe, expect, it } from 'vitest'
import { hostArgument, isLoopback, resolveHost } from '../../src/config/host.ts'

describe('resolveHost', () => {
  it('prefers --host, then GITLAB_HOST, then CI_SERVER_URL inside GitLab CI, then gitlab.com', () => {
    const env = { GITLAB_HOST: 'https://env.example', GITLAB_CI: 'true', CI_SERVER_URL: 'https://ci.example' }
    expect(resolveHost('https://flag.example', env)).toMatchObject({ baseUrl: 'https://flag.example', source: '--host' })
    expect(resolveHost(undefined, env)).toMatchObject({ baseUrl: 'https://env.example', source: 'GITLAB_HOST' })
    expect(resolveHost(undefined, { GITLAB_CI: 'true', CI_SERVER_URL: 'https://ci.example' })).toMatchObject({ baseUrl: 'https://ci.example', source: 'CI_SERVER_URL' })
    expect(resolveHost(undefined, { CI_SERVER_URL: 'https://ci.example' })).toMatchObject({ baseUrl: 'https://gitlab.com', source: 'default' })
    expect(resolveHost(undefined, {})).toMatchObject({ baseUrl: 'https://gitlab.com', name: 'gitlab.com' })
  })

  it.each([
    ['gitlab.example.com', 'https://gitlab.example.com', 'gitlab.example.com'],
    ['gitlab.example.com:8443', 'https://gitlab.example.com:8443', 'gitlab.example.com:8443'],
    ['https://gitlab.example.com/', 'https://gitlab.example.com', 'gitlab.example.com'],
    ['https://example.com/gitlab/', 'https://example.com/gitlab', 'example.com'],
    ['https://gitlab.example.com/api/v4', 'https://gitlab.example.com', 'gitlab.example.com'],
    ['HTTPS://GitLab.Example.com', 'https://gitlab.example.com', 'gitlab.example.com'],
  ])('reads %s as %s', (text, baseUrl, name) => {
    expect(resolveHost(text, {})).toMatchObject({ baseUrl, name })
  })

  it.each(['http://127.0.0.1:8080', 'http://localhost', 'http://[::1]:3000', 'http://127.1.2.3'])('allows plain http to loopback %s', (text) => {
    expect(resolveHost(text, {}).baseUrl).toBe(text)
  })

  it('refuses plain http elsewhere unless GLT_ALLOW_HTTP=1', () => {
    expect(() => resolveHost('http://gitlab.internal', {})).toThrow(/refusing to send a token over plain http to gitlab.internal/)
    expect(resolveHost('http://gitlab.internal', { GLT_ALLOW_HTTP: '1' }).baseUrl).toBe('http://gitlab.internal')
  })

  it.each(['ftp://gitlab.example.com', 'https://user:pw@gitlab.example.com', 'https://gitlab.example.com/?x=1', 'https://'])('rejects %s', (text) => {
    expect(() => resolveHost(text, {})).toThrow(/invalid GitLab host/)
  })
})

describe('isLoopback', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['127.255.0.9', true],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['10.0.0.1', false],
  ])('%s → %s', (host, expected) => expect(isLoopback(host)).toBe(expected))
})

describe('hostArgument: the --host a hint tells the user to pass', () => {
  it.each([
    ['gitlab.example.com', 'gitlab.example.com'],
    ['https://gitlab.example.com:8443/', 'gitlab.example.com:8443'],
    // Without the scheme, glt would read https; without the path, another instance.
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['https://example.com/gitlab', 'https://example.com/gitlab'],
  ])('%s → --host %s', (text, argument) => {
    const host = resolveHost(text, {})
    expect(hostArgument(host)).toBe(argument)
    expect(resolveHost(argument, {})).toEqual(host)
  })
})
