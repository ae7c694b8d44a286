// Start-up and round-trip benchmark: `npm run bench [-- --runs 30]`.
//
// Starts the project's fake GitLab on 127.0.0.1 and times, in one run and alternating so that a
// busy moment of the machine hits every command alike:
//   node -e 0 (the floor), glt --version, glt trigger against the fake, and the same trigger with curl.
// `glt --dry-run` is the trigger's command line with nothing sent: what glt itself costs.
// Prints medians, min/max, the ratio of each median to the floor's, and peak RSS (/usr/bin/time).
// `node:http POST` is the floor for a trigger: the same request in a few lines of plain Node.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ensureBuilt, gltBin as bin, startFakeGitLab } from './fake-gitlab.mjs'

const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined)
const runs = Number(option('--runs')) || 30
// `--baseline <checkout>`: also times that checkout's built bin/glt, interleaved with this one, so a
// change is measured against what it changes in one run (`git worktree add /tmp/before HEAD~1`).
const baseline = option('--baseline')

ensureBuilt()
const work = mkdtempSync(path.join(tmpdir(), 'glt-bench-'))
const fake = await startFakeGitLab(work)
const { url } = fake
const TRIGGER_TOKEN = fake.seed.ADA_TRIGGER.token

// A clean environment: no proxy, no colour, a throw-away HOME, the same for every command.
const env = {
  PATH: process.env.PATH,
  HOME: work,
  XDG_CONFIG_HOME: path.join(work, 'config'),
  GITLAB_HOST: url,
  GLT_TRIGGER_TOKEN: TRIGGER_TOKEN,
}
const NODE_HTTP_TRIGGER = `
const [url, token] = process.argv.slice(1)
const request = require('node:http').request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (response) => {
  const chunks = []
  response.on('data', (chunk) => chunks.push(chunk))
  response.on('end', () => process.stdout.write(JSON.parse(Buffer.concat(chunks)).web_url + '\\n'))
})
request.end(new URLSearchParams({ token, ref: 'main' }).toString())
`
const triggerUrl = `${url}/api/v4/projects/acme%2Fplatform%2Fapi/trigger/pipeline`
const commands = [
  { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
  { name: 'glt --version', argv: [process.execPath, bin, '--version'] },
  { name: 'glt trigger', argv: [process.execPath, bin, 'trigger', '-p', 'acme/platform/api', '-r', 'main'] },
  // The same command line sending nothing: glt's own start-up, parsing and checks, no node:http.
  { name: 'glt --dry-run', argv: [process.execPath, bin, 'trigger', '-p', 'acme/platform/api', '-r', 'main', '--dry-run'] },
  // What any Node program pays for this request: start-up, node:http, the round trip, nothing else.
  { name: 'node:http POST', argv: [process.execPath, '-e', NODE_HTTP_TRIGGER, triggerUrl, TRIGGER_TOKEN] },
  { name: 'curl trigger', argv: ['curl', '--silent', '--fail', '--request', 'POST', '--form-string', `token=${TRIGGER_TOKEN}`, '--form-string', 'ref=main', triggerUrl] },
]
const baselineBin = baseline && path.resolve(baseline, 'bin', 'glt')
if (baselineBin) {
  commands.push(
    { name: 'baseline trigger', argv: [process.execPath, baselineBin, 'trigger', '-p', 'acme/platform/api', '-r', 'main'] },
    { name: 'baseline dry-run', argv: [process.execPath, baselineBin, 'trigger', '-p', 'acme/platform/api', '-r', 'main', '--dry-run'] },
  )
}

function runOnce(argv) {
  const start = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`)
  return ms
}

// GNU time (Debian: the time package) measures peak memory; without it the column says n/a.
const gnuTime = existsSync('/usr/bin/time')

function peakRssKiB(argv) {
  if (!gnuTime) return Number.NaN
  const result = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { env, encoding: 'utf8' })
  const lines = result.stderr.trim().split('\n')
  return Number(lines[lines.length - 1])
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

try {
  // A new user's first command is often --help: glt's compile cache must not then slow every
  // trigger after it. Then one run of each command warms the file cache (and writes its own).
  for (const glt of [bin, baselineBin].filter(Boolean)) runOnce([process.execPath, glt, '--help'])
  for (const command of commands) runOnce(command.argv)
  const times = new Map(commands.map((c) => [c.name, []]))
  for (let round = 0; round < runs; round++) {
    // Rotate the order every round so no command always runs first.
    const order = commands.map((_, i) => commands[(i + round) % commands.length])
    for (const command of order) times.get(command.name).push(runOnce(command.argv))
  }
  const rss = new Map(commands.map((c) => [c.name, Math.max(...[0, 1, 2].map(() => peakRssKiB(c.argv)))]))
  const floor = median(times.get('node -e 0'))

  console.log(`glt benchmark: ${runs} alternating runs each, Node ${process.version}, ${new Date().toISOString()}`)
  console.log('')
  console.log('command            median     min      max     × node -e 0   peak RSS')
  for (const command of commands) {
    const values = times.get(command.name)
    const m = median(values)
    console.log(
      [
        command.name.padEnd(16),
        `${m.toFixed(1)} ms`.padStart(10),
        `${Math.min(...values).toFixed(1)}`.padStart(8),
        `${Math.max(...values).toFixed(1)}`.padStart(8),
        `${(m / floor).toFixed(2)}×`.padStart(12),
        (gnuTime ? `${(rss.get(command.name) / 1024).toFixed(1)} MiB` : 'n/a').padStart(12),
      ].join(' '),
    )
  }
} finally {
  await fake.stop()
  rmSync(work, { recursive: true, force: true })
}
