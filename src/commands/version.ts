import type { Command } from 'commander'
import type { CommandContext, Deps } from '../deps.ts'
import { VERSION } from '../version.ts'

export interface VersionOptions {
  json: boolean
}

export type VersionDeps = Pick<Deps, 'io'>

/**
 * `glt version`, as in gh and glab: with the Node.js and platform a bug report needs.
 * `glt --version` stays the bare number scripts compare.
 */
export async function run(options: VersionOptions, deps: VersionDeps): Promise<void> {
  const info = { version: VERSION, node: process.version, platform: process.platform, arch: process.arch }
  deps.io.stdout.write(options.json ? `${JSON.stringify(info, null, 2)}\n` : `glt ${info.version} (Node.js ${info.node}, ${info.platform} ${info.arch})\n`)
}

export function register(program: Command, context: CommandContext, runFn = run): void {
  program
    .command('version')
    .description("Print glt's version, and the Node.js and platform it runs on (for bug reports)")
    .option('--json', 'print them as a JSON object')
    .addHelpText(
      'after',
      `
glt --version prints the version number alone.

Examples:
  $ glt version
  $ glt version --json`,
    )
    .action(async (flags: Record<string, unknown>) => {
      await runFn({ json: flags.json === true }, context.deps())
    })
}
