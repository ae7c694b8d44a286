import type { Prompter } from '../../src/ui/prompter.ts'

/** One expected prompt: which method, a fragment of its message, and the answer (or an error to throw). */
export interface ExpectedPrompt {
  kind: 'text' | 'secret' | 'confirm'
  message?: string | RegExp
  answer: string | boolean | Error
}

/**
 * Answers prompts from a queue, in order. A prompt nobody expected fails the test, and so do
 * answers left over (checked with `assertDone`): a test cannot pass because a prompt was skipped.
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = []
  private readonly queue: ExpectedPrompt[]

  constructor(expected: ExpectedPrompt[] = []) {
    this.queue = [...expected]
  }

  text(message: string): Promise<string> {
    return this.answer('text', message) as Promise<string>
  }

  secret(message: string): Promise<string> {
    return this.answer('secret', message) as Promise<string>
  }

  confirm(message: string): Promise<boolean> {
    return this.answer('confirm', message) as Promise<boolean>
  }

  assertDone(): void {
    if (this.queue.length > 0) throw new Error(`prompts never asked: ${this.queue.map((p) => `${p.kind} ${String(p.message ?? '')}`).join(', ')}`)
  }

  private async answer(kind: ExpectedPrompt['kind'], message: string): Promise<string | boolean> {
    this.asked.push(message)
    const next = this.queue.shift()
    if (!next) throw new Error(`unexpected ${kind} prompt: ${message}`)
    if (next.kind !== kind) throw new Error(`expected a ${next.kind} prompt, got ${kind}: ${message}`)
    if (next.message !== undefined && !(typeof next.message === 'string' ? message.includes(next.message) : next.message.test(message))) {
      throw new Error(`unexpected prompt message: ${message}`)
    }
    if (next.answer instanceof Error) throw next.answer
    return next.answer
  }
}
