// Runs the fake GitLab with the demo data for the demo script and the benchmark.
// Prints one JSON line, {"url": "..."}, then serves until SIGTERM or SIGINT, or until its stdin
// pipe closes (so it never outlives the parent that spawned it with stdin: 'pipe').
// Flags: --port <n> (default: any free port), --log (one line per request on stderr).
import { fstatSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { seedDemo } from './seed.ts'
import { startFakeGitLab } from './server.ts'

const { values: flags } = parseArgs({
  options: { port: { type: 'string' }, log: { type: 'boolean', default: false } },
})

const fake = await startFakeGitLab({
  ...(flags.port === undefined ? {} : { port: Number(flags.port) }),
  ...(flags.log
    ? {
        onRequest: (request) => {
          const fault = request.fault ? ' (injected fault)' : ''
          process.stderr.write(`${request.method} ${request.rawPath} → ${request.status ?? 'cut'}${fault}\n`)
        },
      }
    : {}),
})
seedDemo(fake)

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  await fake.close()
  process.stdin.destroy()
}

process.once('SIGTERM', () => void stop())
process.once('SIGINT', () => void stop())

// Only a pipe says anything by closing: /dev/null ends at once and a terminal has Ctrl-C.
if (isPipe(0)) {
  process.stdin.on('end', () => void stop())
  process.stdin.on('close', () => void stop())
  process.stdin.resume()
}

// Last, so a parent that stops us as soon as it reads the URL finds the handlers in place.
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`)

function isPipe(fd: number): boolean {
  try {
    const stats = fstatSync(fd)
    return stats.isFIFO() || stats.isSocket()
  } catch {
    return false
  }
}
