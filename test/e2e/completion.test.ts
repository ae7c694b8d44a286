import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { spawnGlt } from './spawn-glt.ts'

describe('glt completion (built)', () => {
  it('loads the generator from the bundle and prints the committed script', async () => {
    const result = await spawnGlt(['completion', 'zsh'])
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(result.stdout).toBe(readFileSync(new URL('../../completions/_glt', import.meta.url), 'utf8'))
  })
})
