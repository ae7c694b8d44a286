import type { Command } from 'commander'
import type { CommandContext } from '../deps.ts'

// Placeholder: `glt logout` is being built.
export function register(_program: Command, _context: CommandContext): void {}
