import { describe, expect, it } from 'vitest'
import { resolveHost } from '../../../src/config/host.ts'
import { setupMsw } from '../../helpers/msw.ts'
import { runGlt, stripAnsi } from '../../helpers/run-glt.ts'
import { ENV, HOST, machine, MINE, MINE_2, PROJECT } from './gitlab.ts'

// forget only touches what glt saved on this machine: any request would fail the test.
setupMsw()

describe('glt tokens forget', () => {
  it('removes the token saved for the project, found by its path or its ID', async () => {
    for (const name of [PROJECT.path, '42']) {
      const saved = machine()
      await saved.credentials.saveTriggerToken(HOST, { id: PROJECT.id, paths: [PROJECT.path] }, MINE, 'keychain')
      const result = await runGlt(['tokens', 'forget', '-p', name], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
      expect(result).toMatchObject({ exitCode: 0, stdout: '' })
      expect(stripAnsi(result.stderr)).toBe(`✓ Removed the trigger token saved for ${name} from the OS keychain.\n`)
      expect(await saved.keychain.get('trigger@gitlab.test/42')).toBeUndefined()
      expect(await saved.credentials.list()).toEqual([])
    }
  })

  it('exits 0 when nothing is saved, naming the projects that do have a token', async () => {
    const saved = machine()
    await saved.credentials.saveTriggerToken(HOST, { paths: ['acme/web'] }, MINE_2, 'file')
    await saved.credentials.saveTriggerToken(resolveHost('https://other.test', {}), { paths: [PROJECT.path] }, MINE, 'keychain')
    const result = await runGlt(['tokens', 'forget', '-p', PROJECT.path], { env: ENV, keychain: saved.keychain, configDir: saved.configDir })
    expect(result).toMatchObject({ exitCode: 0, stdout: '' })
    expect(result.stderr).toBe('No trigger token is saved for acme/app on gitlab.test (glt has one for acme/web).\n')
    expect(await saved.credentials.list()).toHaveLength(2)
  })

  it('exits 0 on a machine where glt saved nothing', async () => {
    const result = await runGlt(['tokens', 'forget', '-p', PROJECT.path], { env: ENV })
    expect(result).toMatchObject({ exitCode: 0, stdout: '', stderr: 'No trigger token is saved for acme/app on gitlab.test.\n' })
  })

  it('warns that GLT_TRIGGER_TOKEN still applies', async () => {
    const result = await runGlt(['tokens', 'forget', '-p', PROJECT.path], { env: { ...ENV, GLT_TRIGGER_TOKEN: MINE } })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('! GLT_TRIGGER_TOKEN is set: glt trigger still uses it until you unset it.\n')
    expect(result.stderr).not.toContain(MINE)
  })

  it('is a usage error naming --project in a pipe; in a terminal, asks', async () => {
    const pipe = await runGlt(['tokens', 'forget'], { env: ENV })
    expect(pipe).toMatchObject({ exitCode: 2, stdout: '' })
    expect(pipe.stderr).toContain('missing --project')
    const tty = await runGlt(['tokens', 'forget'], { env: ENV, tty: true, prompts: [{ kind: 'text', message: 'GitLab project', answer: 'acme/app' }] })
    expect(tty.exitCode).toBe(0)
  })
})
