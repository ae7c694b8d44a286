// `npm run demo`: glt doing its main job on a fresh machine, with no GitLab of your own.
//
// Starts the fake GitLab the end-to-end tests use (test/fake-gitlab, seeded with a demo project and
// its tokens), runs the real built bin/glt against it step by step, printing each command line as a
// user would type it and then glt's own output, and stops the server. Exits 0 only when every step
// ended with the exit code it shows and its output passed a sanity check; otherwise names the failed
// steps and exits 1.
//
// --glt <file>: run that glt instead of bin/glt (test/e2e/demo.test.ts proves with a broken one
// that the demo fails).
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { clearTimeout, setTimeout } from 'node:timers'
import { parseArgs } from 'node:util'
import { ensureBuilt, gltBin, startFakeGitLab } from './fake-gitlab.mjs'

const { values: flags } = parseArgs({ options: { glt: { type: 'string' } } })
const glt = flags.glt === undefined ? gltBin : path.resolve(flags.glt)

const colour = process.stdout.isTTY && !process.env.NO_COLOR && !process.env.CI && process.env.TERM !== 'dumb'
const paint = (open, close) => (text) => (colour ? `\x1b[${open}m${text}\x1b[${close}m` : text)
const bold = paint(1, 22)
const dim = paint(2, 22)
const green = paint(32, 39)
const red = paint(31, 39)

/** How glt shows a token: its kind and last four characters (src/redact.ts maskSecret). */
const mask = (token) => `${/^gl[a-z]{2,5}-/.exec(token)?.[0] ?? ''}…${token.slice(-4)}`

if (flags.glt === undefined) ensureBuilt()
const work = mkdtempSync(path.join(tmpdir(), 'glt-demo-'))
const home = path.join(work, 'home')
mkdirSync(home)
const fake = await startFakeGitLab(work)
const { ADA, ADA_TRIGGER, DEMO_PROJECT } = fake.seed

process.once('SIGINT', () => {
  // glt, in our process group, got the Ctrl-C too; leave nothing behind.
  void fake.stop().finally(() => {
    rmSync(work, { recursive: true, force: true })
    process.exit(130)
  })
})

// Nothing from the caller's environment but PATH: no tokens, proxies or glt settings of theirs.
const env = {
  PATH: process.env.PATH ?? '',
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  GITLAB_HOST: fake.url,
  GLT_TRIGGER_TOKEN: ADA_TRIGGER.token,
  GITLAB_TOKEN: ADA.pat,
}
const secrets = [ADA_TRIGGER.token, ADA.pat]

const project = DEMO_PROJECT.path
const ref = 'feature/login-form'
const triggerArgs = ['trigger', '-p', project, '-r', ref, '--var', 'DEPLOY=staging', '--var', 'NOTIFY=ops']
const pipelineUrl = new RegExp(`^${escapeRegExp(`${fake.url}/${project}/-/pipelines/`)}(\\d+)\\n$`)

// Each check returns what is wrong, or nothing.
const steps = [
  {
    title: 'Trigger a pipeline for a branch with a slash in its name, with two CI/CD variables.',
    argv: triggerArgs,
    exitCode: 0,
    shows: 'one pipeline URL on stdout',
    check: ({ stdout, stderr }) =>
      (pipelineUrl.test(stdout) ? undefined : 'expected one pipeline URL on stdout') ?? (stderr === '' ? undefined : 'expected nothing on stderr'),
  },
  {
    title: "The same with --json: GitLab's pipeline object, for jq and scripts.",
    argv: [...triggerArgs, '--json'],
    exitCode: 0,
    shows: 'JSON of a created pipeline for the ref',
    check: ({ stdout }) => {
      let pipeline
      try {
        pipeline = JSON.parse(stdout)
      } catch {
        return 'stdout is not JSON'
      }
      if (pipeline.ref !== ref || pipeline.status !== 'created') return `expected a created pipeline for ${ref}`
      if (!pipelineUrl.test(`${pipeline.web_url}\n`)) return 'expected the pipeline web_url'
    },
  },
  {
    title: 'The same with --dry-run: the request as a curl command, not sent; the token stays a variable.',
    argv: [...triggerArgs, '--dry-run'],
    exitCode: 0,
    shows: 'a curl command with $GLT_TRIGGER_TOKEN, the ref and both variables',
    check: ({ stdout }) => {
      const expected = ['curl ', '"token=$GLT_TRIGGER_TOKEN"', `ref=${ref}`, "'variables[DEPLOY]=staging'", "'variables[NOTIFY]=ops'", DEMO_PROJECT.encodedPath]
      const missing = expected.filter((part) => !stdout.includes(part))
      if (missing.length > 0) return `the curl command lacks ${missing.join(', ')}`
    },
  },
  {
    title:
      'A personal access token where the trigger token belongs: GitLab answers that with a bare\n' +
      '404 Not Found; glt knows the glpat- prefix, sends nothing, and says why (exit 3).',
    // Shown as GLT_TRIGGER_TOKEN="$GITLAB_TOKEN": one variable set from another.
    envFrom: { GLT_TRIGGER_TOKEN: 'GITLAB_TOKEN' },
    argv: ['trigger', '-p', project, '-r', 'main'],
    exitCode: 3,
    shows: 'the 404 explained on stderr, nothing on stdout',
    check: ({ stdout, stderr }) => {
      if (stdout !== '') return 'expected nothing on stdout'
      if (!stderr.includes('personal access token') || !stderr.includes('404 Not Found')) return 'expected the 404 explained'
    },
  },
  {
    title:
      "List the project's trigger tokens (with GITLAB_TOKEN): tab-separated rows into a pipe, a table in a\n" +
      "terminal. Tokens are masked; GitLab itself shows only 4 characters of other members' tokens.",
    argv: ['tokens', 'list', '-p', project],
    exitCode: 0,
    shows: 'three tokens, yours masked',
    check: ({ stdout }) => {
      const rows = stdout.trimEnd().split('\n').map((line) => line.split('\t'))
      if (rows.length !== 3) return `expected the 3 seeded tokens, got ${rows.length} lines`
      if (!rows.some((row) => row[1] === ADA_TRIGGER.description && row[6] === mask(ADA_TRIGGER.token))) return `expected "${ADA_TRIGGER.description}" with its token masked`
    },
  },
  {
    title:
      'Trigger, then follow the pipeline to its end with --wait, polling every second (the minimum).\n' +
      'Reading the pipeline takes GITLAB_TOKEN: a trigger token can only trigger.',
    argv: ['trigger', '-p', project, '-r', 'main', '--wait', '--interval', '1s'],
    exitCode: 0,
    shows: 'the URL at once, then each status change until success',
    check: ({ stdout, stderr }) => {
      const id = pipelineUrl.exec(stdout)?.[1]
      if (id === undefined) return 'expected the pipeline URL on stdout'
      if (!stderr.includes(`pipeline #${id} running`)) return 'expected the running pipeline on stderr'
      if (!stderr.includes(`Pipeline #${id} succeeded`)) return 'expected the pipeline to succeed'
    },
  },
]

const failures = []
try {
  console.log(`${bold('glt demo')}: the real ${path.relative(process.cwd(), glt) || glt} against a fake GitLab at ${fake.url}`)
  console.log(`(the server this repository's end-to-end tests use, seeded with the project ${project}).`)
  console.log('glt runs in a fresh HOME with nothing from your environment but PATH and these variables:')
  console.log(`  GITLAB_HOST=${fake.url}`)
  console.log(`  GLT_TRIGGER_TOKEN  a pipeline trigger token (${mask(ADA_TRIGGER.token)})`)
  console.log(`  GITLAB_TOKEN       ${ADA.name}'s personal access token, to read pipelines and tokens (${mask(ADA.pat)})`)
  console.log('The tokens come from those variables, so no command line below holds a secret.')
  console.log('glt writes into a pipe here, as in a script: plain lines, no colour or spinner.')

  for (const [index, step] of steps.entries()) {
    const label = `${index + 1}/${steps.length}`
    console.log('')
    console.log(dim(`# ${label} ${step.title.replaceAll('\n', `\n#${' '.repeat(label.length + 1)}`)}`))
    console.log(bold(`$ ${commandLine(step)}`))
    const result = await runGlt(step)
    const problem =
      (result.exitCode === step.exitCode ? undefined : `exited with ${result.exitCode}, expected ${step.exitCode}`) ??
      leakedSecret(result) ??
      step.check(result)
    if (problem === undefined) {
      console.log(green(`  ✓ checked: exit ${result.exitCode}, ${step.shows}`))
    } else {
      failures.push(`step ${label} (glt ${step.argv.join(' ')}): ${problem}`)
      console.error(red(`  ✗ step ${label} failed: ${problem}`))
    }
  }
} finally {
  await fake.stop()
  rmSync(work, { recursive: true, force: true })
}

console.log('')
if (failures.length === 0) {
  console.log(`${green('✓')} Every step did what it shows; the fake GitLab is stopped. Next: ./bin/glt --help`)
} else {
  console.error(red(`✗ The demo failed (the fake GitLab is stopped):\n${failures.map((failure) => `  ${failure}`).join('\n')}`))
  process.exitCode = 1
}

/** The step as a user types it: environment assignments first, arguments quoted for sh. */
function commandLine(step) {
  const assignments = Object.entries(step.envFrom ?? {}).map(([name, from]) => `${name}="$${from}" `)
  return `${assignments.join('')}glt ${step.argv.map(shellQuote).join(' ')}`
}

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}

/** Runs glt as a user would, passing its output through as it comes (--wait's progress is live). */
function runGlt(step) {
  const stepEnv = Object.fromEntries(Object.entries(step.envFrom ?? {}).map(([name, from]) => [name, env[from]]))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [glt, ...step.argv], { env: { ...env, ...stepEnv }, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = { stdout: '', stderr: '' }
    for (const stream of ['stdout', 'stderr']) {
      child[stream].setEncoding('utf8').on('data', (chunk) => {
        output[stream] += chunk
        process[stream].write(chunk)
      })
    }
    // Never hang the demo: --wait here takes about 3 s.
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000)
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      resolve({ ...output, exitCode: exitCode ?? signal })
    })
  })
}

function leakedSecret({ stdout, stderr }) {
  const leaked = secrets.find((secret) => stdout.includes(secret) || stderr.includes(secret))
  return leaked === undefined ? undefined : `printed the token ${mask(leaked)} in full`
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
