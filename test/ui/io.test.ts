import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { Env } from '../../src/config/env.ts'
import { createIO } from '../../src/ui/io.ts'

const ALL_TTYS = { stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true }
const sink = { write: () => true }

function ioFor(env: Env, facts = ALL_TTYS) {
  return createIO({ stdout: sink, stderr: sink, stdin: Readable.from([]) }, env, facts)
}

/** What a user would notice: a prompt, a spinner, colour on either stream. */
async function behaviour(env: Env, facts = ALL_TTYS) {
  const io = await ioFor(env, facts)
  return { prompts: io.canPrompt, animates: io.canAnimate, colourOut: io.out.green('x') !== 'x', colourErr: io.err.red('x') !== 'x' }
}

const INTERACTIVE = { prompts: true, animates: true, colourOut: true, colourErr: true }
const PLAIN = { prompts: false, animates: false, colourOut: false, colourErr: false }

describe('createIO: where glt runs as a CI step', () => {
  it('prompts, animates and colours in a terminal outside CI', async () => {
    expect(await behaviour({})).toEqual(INTERACTIVE)
  })

  // GitLab sets CI=true; other CI systems set 1 or anything else non-empty.
  it.each(['true', 'TRUE', '1', 'yes', 'gitlab'])('with CI=%s and all three streams terminals: no prompt, no spinner, no colour', async (value) => {
    expect(await behaviour({ CI: value })).toEqual(PLAIN)
  })

  it.each(['', '0', 'false', 'False'])('CI=%j does not count as CI', async (value) => {
    expect(await behaviour({ CI: value })).toEqual(INTERACTIVE)
  })

  it('CI wins over a terminal whose TERM asks for colour', async () => {
    expect(await behaviour({ CI: 'true', TERM: 'xterm-256color', FORCE_COLOR: '3', COLORTERM: 'truecolor' })).toEqual(PLAIN)
  })

  it('GLT_NO_PROMPT stops prompts only; NO_COLOR stops colour only', async () => {
    expect(await behaviour({ GLT_NO_PROMPT: '1' })).toEqual({ ...INTERACTIVE, prompts: false })
    expect(await behaviour({ NO_COLOR: '1' })).toEqual({ ...INTERACTIVE, colourOut: false, colourErr: false })
  })

  it('each stream is coloured only when it is a terminal itself', async () => {
    expect(await behaviour({}, { ...ALL_TTYS, stdoutIsTTY: false })).toEqual({ ...INTERACTIVE, colourOut: false })
    expect(await behaviour({}, { ...ALL_TTYS, stderrIsTTY: false })).toEqual({ prompts: false, animates: false, colourOut: true, colourErr: false })
  })
})
