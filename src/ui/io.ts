import { isCI, isEnvOn, type Env } from '../config/env.ts'
import { loadStyle, type Style } from './style.ts'

export interface Sink {
  write(chunk: string): unknown
}

/** The process's streams and what they are, decided once: commands never look at `process.*`. */
export interface IO {
  readonly stdout: Sink
  readonly stderr: Sink
  readonly stdin: NodeJS.ReadableStream
  readonly stdinIsTTY: boolean
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
  /** stdin and stderr are terminals, and neither `CI` nor `GLT_NO_PROMPT` is set. */
  readonly canPrompt: boolean
  /** Spinners and other redrawing output: stderr is a terminal and this is not CI. */
  readonly canAnimate: boolean
  /** Colour for data on stdout and for messages on stderr, each following its own stream. */
  readonly out: Style
  readonly err: Style
}

export interface StreamFacts {
  stdinIsTTY: boolean
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
  /** `--no-color` was given. */
  noColor?: boolean
}

/** The interaction rules shared by every command (issue: "Interaction rules"). */
export function interactionPolicy(env: Env, facts: StreamFacts) {
  const ci = isCI(env)
  const colorAllowed = !facts.noColor && !ci && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb'
  return {
    canPrompt: facts.stdinIsTTY && facts.stderrIsTTY && !ci && !isEnvOn(env.GLT_NO_PROMPT),
    canAnimate: facts.stderrIsTTY && !ci && env.TERM !== 'dumb',
    colorOut: colorAllowed && facts.stdoutIsTTY,
    colorErr: colorAllowed && facts.stderrIsTTY,
  }
}

export async function createIO(
  streams: { stdout: Sink; stderr: Sink; stdin: NodeJS.ReadableStream },
  env: Env,
  facts: StreamFacts,
): Promise<IO> {
  const policy = interactionPolicy(env, facts)
  const [out, err] = await Promise.all([loadStyle(policy.colorOut), loadStyle(policy.colorErr)])
  return {
    stdout: streams.stdout,
    stderr: streams.stderr,
    // Read on first use: the process's stdin is built when first touched (for a file or /dev/null,
    // with fs streams and readline), which most runs never need.
    get stdin() {
      return streams.stdin
    },
    stdinIsTTY: facts.stdinIsTTY,
    stdoutIsTTY: facts.stdoutIsTTY,
    stderrIsTTY: facts.stderrIsTTY,
    canPrompt: policy.canPrompt,
    canAnimate: policy.canAnimate,
    out,
    err,
  }
}

/** Reads all of stdin (for `--token-stdin`), refusing a terminal: typing a token there would echo it. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

export interface Spinner {
  update(text: string): void
  stop(): void
}

/** An ora spinner on stderr in a terminal; nothing at all otherwise. ora loads only when shown. */
export async function startSpinner(io: IO, text: string): Promise<Spinner> {
  // A terminal of unknown size reports 0 columns (a pty whose creator set no size, as `script`
  // fed from a pipe does); ora divides by the width and would then erase lines forever.
  if (!io.canAnimate || (io.stderr as { columns?: number }).columns === 0) return { update() {}, stop() {} }
  const { default: ora } = await import('ora')
  // discardStdin would put stdin in raw mode and swallow Ctrl-C and later prompts.
  const spinner = ora({ text, stream: io.stderr as NodeJS.WritableStream, discardStdin: false, isEnabled: true }).start()
  return {
    update: (next) => {
      spinner.text = next
    },
    stop: () => {
      spinner.stop()
    },
  }
}
