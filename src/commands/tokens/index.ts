import type { Command } from 'commander'
import type { CommandContext } from '../../deps.ts'
import { register as registerCreate } from './create.ts'
import { register as registerForget } from './forget.ts'
import { register as registerList } from './list.ts'
import { register as registerRevoke } from './revoke.ts'
import { register as registerRotate } from './rotate.ts'
import { register as registerSave } from './save.ts'

/** `glt tokens`: the project's pipeline trigger tokens, as Settings > CI/CD > Pipeline trigger tokens shows them. */
export function register(program: Command, context: CommandContext): void {
  const tokens = program
    .command('tokens')
    .description("Manage a project's pipeline trigger tokens (list, create, revoke, save, forget, rotate)")
    .addHelpText(
      'after',
      `
list, create, revoke and rotate need a personal access token with the api scope (GITLAB_TOKEN,
or glt login) and, except list for some instances, the Maintainer role. save and forget only
touch what glt saved on this machine.

Examples:
  $ glt tokens list -p group/app
  $ glt tokens create -p group/app --description "deploy from Jenkins" --save
  $ glt tokens rotate 7 -p group/app`,
    )
  registerList(tokens, context)
  registerCreate(tokens, context)
  registerRevoke(tokens, context)
  registerRotate(tokens, context)
  registerSave(tokens, context)
  registerForget(tokens, context)
}
