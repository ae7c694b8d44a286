import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseOriginUrl, parseRemoteUrl, readGitContext } from '../src/git.ts'

describe('parseRemoteUrl', () => {
  it.each([
    ['https://gitlab.com/group/sub/project.git', 'gitlab.com', 'group/sub/project'],
    ['https://gitlab.com/group/project', 'gitlab.com', 'group/project'],
    ['https://user@GitLab.example.com:8443/group/project/', 'gitlab.example.com', 'group/project'],
    ['git@gitlab.com:group/sub/project.git', 'gitlab.com', 'group/sub/project'],
    ['git@gitlab.com:group/project', 'gitlab.com', 'group/project'],
    ['ssh://git@gitlab.example.com:2222/group/project.git', 'gitlab.example.com', 'group/project'],
    ['gitlab.com:group/project.git', 'gitlab.com', 'group/project'],
  ])('%s → %s %s', (remote, host, projectPath) => {
    expect(parseRemoteUrl(remote)).toEqual({ host, projectPath })
  })

  it.each(['/local/path/repo.git', 'file:///srv/repo.git', 'https://gitlab.com/', 'https://gitlab.com/onlyone'])('ignores %s', (remote) => {
    expect(parseRemoteUrl(remote)).toBeUndefined()
  })
})

describe('parseOriginUrl', () => {
  it('reads the url of remote "origin" only', () => {
    const config = '[core]\n\tbare = false\n[remote "upstream"]\n\turl = git@other:a/b.git\n[remote "origin"]\n\turl = git@gitlab.com:g/p.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n'
    expect(parseOriginUrl(config)).toBe('git@gitlab.com:g/p.git')
  })
})

describe('readGitContext', () => {
  it('finds origin and branch from a subdirectory', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'glt-git-'))
    await mkdir(path.join(root, '.git'))
    await mkdir(path.join(root, 'src', 'deep'), { recursive: true })
    await writeFile(path.join(root, '.git', 'config'), '[remote "origin"]\n\turl = https://gitlab.com/acme/app.git\n')
    await writeFile(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/feature/login\n')
    expect(await readGitContext(path.join(root, 'src', 'deep'))).toEqual({
      origin: { host: 'gitlab.com', projectPath: 'acme/app' },
      branch: 'feature/login',
    })
  })

  it('has no branch on a detached HEAD and nothing outside a checkout', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'glt-git-'))
    expect(await readGitContext(root)).toEqual({})
    await mkdir(path.join(root, '.git'))
    await writeFile(path.join(root, '.git', 'HEAD'), '0123456789abcdef0123456789abcdef01234567\n')
    expect(await readGitContext(root)).toEqual({ origin: undefined, branch: undefined })
  })
})
