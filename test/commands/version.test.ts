import { describe, expect, it } from 'vitest'
import { VERSION as version } from '../../src/version.ts'
import { runGlt } from '../helpers/run-glt.ts'

describe('glt version', () => {
  it('names the version, Node.js and the platform: what a bug report needs', async () => {
    const result = await runGlt(['version'])
    expect(result).toEqual(
      expect.objectContaining({ exitCode: 0, stderr: '', stdout: `glt ${version} (Node.js ${process.version}, ${process.platform} ${process.arch})\n` }),
    )
  })

  it('--json prints them as one object', async () => {
    const result = await runGlt(['version', '--json'])
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ version, node: process.version, platform: process.platform, arch: process.arch })
  })

  it('--version stays the bare number that scripts compare', async () => {
    expect(await runGlt(['--version'])).toEqual(expect.objectContaining({ exitCode: 0, stdout: `${version}\n` }))
  })
})
