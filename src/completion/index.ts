import type { Command } from 'commander'
import type { Shell } from '../commands/completion.ts'
import { bashScript } from './bash.ts'
import { fishScript } from './fish.ts'
import { describeProgram } from './spec.ts'
import { zshScript } from './zsh.ts'

const RENDERERS: Record<Shell, typeof bashScript> = { bash: bashScript, zsh: zshScript, fish: fishScript }

/** The completion script for `shell`, from glt's whole command tree. */
export function completionScript(shell: Shell, program: Command): string {
  return RENDERERS[shell](describeProgram(program))
}
