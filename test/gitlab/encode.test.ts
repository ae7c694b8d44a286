import { describe, expect, it } from 'vitest'
import { encodeProjectId, encodeRef, encodeTriggerBody, normalizeProject } from '../../src/gitlab/encode.ts'

describe('encodeProjectId', () => {
  it.each([
    ['123', '123'],
    ['group/project', 'group%2Fproject'],
    ['group/sub/project', 'group%2Fsub%2Fproject'],
    ['/group/project/', 'group%2Fproject'],
    ['group/my project', 'group%2Fmy%20project'],
    ['grüppe/prøject', 'gr%C3%BCppe%2Fpr%C3%B8ject'],
    ['group/a#b%c', 'group%2Fa%23b%25c'],
    ['https://gitlab.com/group/sub/project', 'group%2Fsub%2Fproject'],
    ['https://gitlab.com/group/project/-/pipelines', 'group%2Fproject'],
    ['group/project.git', 'group%2Fproject'],
  ])('%s → %s', (project, encoded) => expect(encodeProjectId(project)).toBe(encoded))

  it.each(['', '  ', '/', 'group//project', 'a\nb'])('rejects %j', (project) => {
    expect(() => normalizeProject(project)).toThrow(/invalid project/)
  })
})

describe('encodeRef', () => {
  it.each([
    ['main', 'main'],
    ['feature/x', 'feature%2Fx'],
    ['fix/#12', 'fix%2F%2312'],
    ['100%', '100%25'],
    ['with space', 'with%20space'],
    ['ünïcödé/ブランチ', '%C3%BCn%C3%AFc%C3%B6d%C3%A9%2F%E3%83%96%E3%83%A9%E3%83%B3%E3%83%81'],
  ])('%s → %s', (ref, encoded) => expect(encodeRef(ref)).toBe(encoded))
})

describe('encodeTriggerBody', () => {
  it('sends form fields token, ref, variables[KEY] and inputs[NAME]', () => {
    const body = encodeTriggerBody({
      token: 'glptt-secret',
      ref: 'feature/x',
      variables: new Map([['A', 'x=y z'], ['EMPTY', '']]),
      inputs: new Map([['env', 'prod']]),
    })
    expect(body.contentType).toBe('application/x-www-form-urlencoded')
    expect([...new URLSearchParams(body.text)]).toEqual([
      ['token', 'glptt-secret'],
      ['ref', 'feature/x'],
      ['variables[A]', 'x=y z'],
      ['variables[EMPTY]', ''],
      ['inputs[env]', 'prod'],
    ])
  })

  it('switches to one JSON body when an input is typed', () => {
    const body = encodeTriggerBody({
      token: 't',
      ref: 'main',
      variables: new Map([['A', '1']]),
      inputs: new Map<string, unknown>([['replicas', 3], ['debug', true], ['regions', ['eu', 'us']], ['name', 'x']]) as never,
    })
    expect(body.contentType).toBe('application/json')
    expect(JSON.parse(body.text)).toEqual({
      token: 't',
      ref: 'main',
      variables: { A: '1' },
      inputs: { replicas: 3, debug: true, regions: ['eu', 'us'], name: 'x' },
    })
  })
})
