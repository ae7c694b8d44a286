import { CancelledError } from '../errors.ts'
import type { IO } from './io.ts'

/** What glt asks a person, by intent; the Inquirer adapter decides how it looks. */
export interface Prompter {
  text(message: string, options?: { default?: string; validate?: (value: string) => string | true }): Promise<string>
  secret(message: string): Promise<string>
  confirm(message: string, defaultValue?: boolean): Promise<boolean>
}

/**
 * @inquirer/prompts, drawn on stderr (stdout is for data) and loaded only when a prompt is shown.
 * Ctrl-C there becomes CancelledError (exit 130) before anything has been written.
 */
export function createInquirerPrompter(io: Pick<IO, 'stdin' | 'stderr'>): Prompter {
  // Built when a prompt is shown: touching stdin earlier would create it on every run.
  const context = () => ({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, clearPromptOnDone: false })
  const guard = async <T>(ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask()
    } catch (error) {
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
        throw new CancelledError('cancelled', { key: 'cancelled' })
      }
      throw error
    }
  }
  return {
    text: (message, options = {}) =>
      guard(async () => {
        const { input } = await import('@inquirer/prompts')
        const config: Parameters<typeof input>[0] = { message }
        if (options.default !== undefined) config.default = options.default
        if (options.validate !== undefined) config.validate = options.validate
        return (await input(config, context())).trim()
      }),
    secret: (message) =>
      guard(async () => {
        const { password } = await import('@inquirer/prompts')
        return (await password({ message, mask: '*' }, context())).trim()
      }),
    confirm: (message, defaultValue = false) =>
      guard(async () => {
        const { confirm } = await import('@inquirer/prompts')
        return confirm({ message, default: defaultValue }, context())
      }),
  }
}
