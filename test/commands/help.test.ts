import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../src/cli.ts'
import { allCommands, describeProgram } from '../../src/completion/spec.ts'
import type { CommandContext } from '../../src/deps.ts'
import { ENVIRONMENT, EXIT_CODES_HELP } from '../../src/help-topics.ts'
import { runGlt } from '../helpers/run-glt.ts'

const ROOT_HELP = `Usage: glt [options] [command]

Trigger GitLab pipelines and manage pipeline trigger tokens.

Options:
  -V, --version                 print the version
  --debug                       print the HTTP exchange (tokens and variable
                                values redacted) and stack traces
  --no-color                    never colour the output (also: NO_COLOR=1)
  -h, --help                    show help

Commands:
  trigger [options]             Start a pipeline for a branch or tag with a
                                pipeline trigger token
  tokens                        Manage a project's pipeline trigger tokens
                                (list, create, revoke, save, forget, rotate)
  login [options]               Check a personal access token with GitLab and
                                save it for the host
  logout [options]              Remove the personal access token saved for a
                                GitLab host
  whoami [options]              Show the GitLab host, user and tokens glt would
                                use
  version [options]             Print glt's version, and the Node.js and
                                platform it runs on (for bug reports)
  completion [options] <shell>  Print the completion script for bash, zsh or
                                fish (install steps in its first lines)
  help [options] [topic]        Show help for a command, or a topic:
                                environment, exit-codes

Examples:
  $ glt trigger --project group/app --ref main --var DEPLOY_ENV=staging
  $ glt trigger --wait --timeout 30m        # the project and branch of the checkout
  $ glt tokens create -p group/app --description deploy --save

Exit codes:
  0    success
  1    GitLab or the network failed
  2    usage error: bad flags or input, nothing was sent
  3    missing or rejected credentials (401, 403, the trigger's 404)
  4    --wait: the pipeline did not succeed, or waits for a manual job
  5    --wait: the pipeline did not finish within --timeout
  130  interrupted (Ctrl-C, or SIGTERM)

Run 'glt <command> --help' for a command's options and examples, 'glt help environment' for the
environment variables glt reads, and 'glt completion <shell>' for shell completion.
`

describe('glt tokens, alone', () => {
  it('prints the group\'s help on stdout and exits 0, as glt alone does', async () => {
    const result = await runGlt(['tokens'])
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(result.stdout).toContain('Usage: glt tokens [options] [command]')
    expect(result.stdout).toContain('  help [command]         show help for a command')
  })
})

describe('glt --help', () => {
  it('prints the commands, examples and exit codes', async () => {
    // An option before a command name (`glt --help trigger`) is glt's own: every command is listed.
    for (const argv of [['--help'], [], ['help'], ['--help', 'trigger'], ['-h', 'tokens'], ['--no-color', '--help', 'whoami']]) {
      expect(await runGlt(argv)).toMatchObject({ exitCode: 0, stdout: ROOT_HELP, stderr: '' })
    }
  })

  // Every command glt has, from its commander tree; commander's own `tokens help` has no page.
  const noContext = {} as CommandContext
  const sink = { write: () => true }
  const paths = allCommands(describeProgram(buildProgram(noContext, { stdout: sink, stderr: sink })))
    .map((command) => command.path)
    .filter((commandPath) => commandPath.join(' ') !== 'tokens help')

  it.each(paths.map((commandPath) => [commandPath.join(' ') || 'glt', commandPath]))('%s --help shows two or more examples', async (_name, commandPath) => {
    const { stdout, exitCode } = await runGlt([...commandPath, '--help'])
    expect(exitCode).toBe(0)
    const examples = stdout.split('\nExamples:\n')[1]?.split('\n\n')[0]?.trimEnd().split('\n') ?? []
    expect(examples.length, stdout).toBeGreaterThanOrEqual(2)
    for (const example of examples) expect(example).toMatch(/^ {2}\$ (glt |printenv |token=\$\(glt |new=\$\(glt )/)
  })
})

describe('glt help', () => {
  it('shows a command’s help, as --help does', async () => {
    expect((await runGlt(['help', 'trigger'])).stdout).toBe((await runGlt(['trigger', '--help'])).stdout)
    expect((await runGlt(['help', 'tokens'])).stdout).toBe((await runGlt(['tokens', '--help'])).stdout)
    expect((await runGlt(['help', 'tokens', 'ls'])).stdout).toBe((await runGlt(['tokens', 'list', '--help'])).stdout)
    expect((await runGlt(['tokens', 'help', 'revoke'])).stdout).toBe((await runGlt(['tokens', 'revoke', '--help'])).stdout)
  })

  it('prints the exit codes', async () => {
    expect(await runGlt(['help', 'exit-codes'])).toMatchObject({ exitCode: 0, stdout: `${EXIT_CODES_HELP}\n`, stderr: '' })
  })

  it('prints the environment variables, one per entry, within 80 columns', async () => {
    const result = await runGlt(['help', 'environment'])
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(result.stdout).toMatch(/^Environment variables glt reads:\n {2}GITLAB_HOST\n {6}the GitLab instance when --host is not given/)
    expect(result.stdout).toContain('\n  HTTPS_PROXY, HTTP_PROXY, NO_PROXY\n')
    expect(result.stdout).toContain('\nglt trigger --var KEY (without a value) also reads the variable KEY.\n')
    for (const line of result.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80)
  })

  it.each([
    [['help', 'nope'], "glt: command-argument value 'nope' is invalid for argument 'topic'. Allowed choices are trigger, tokens, login, logout, whoami, version, completion, help, environment, exit-codes.\n"],
    [['help', 'tokens', 'nope'], "glt: unknown command 'tokens nope'\n"],
    [['help', 'environment', 'x'], "glt: too many arguments for 'help': environment x\n"],
    [['help', 'tokens', 'list', 'x'], "glt: too many arguments for 'help': tokens list x\n"],
  ])('refuses %j (exit 2)', async (argv, message) => {
    const result = await runGlt(argv)
    expect(result).toMatchObject({ exitCode: 2, stdout: '', stderr: `${message}(run 'glt help --help' for usage)\n` })
  })
})

describe('glt help environment lists every variable glt reads', () => {
  const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
  const listed = new Set(ENVIRONMENT.flatMap((entry) => entry.names))
  // Read where the name is not spelled in src/: by Node.js, and by undici's proxy agent.
  const READ_OUTSIDE_SRC = ['NODE_EXTRA_CA_CERTS', 'NO_PROXY']
  // `env[name]` with a computed name: the only places allowed, and the names they may read.
  const COMPUTED_READS: Record<string, string> = {
    'vars.ts': 'glt trigger --var KEY reads the variable the user names',
    'deps.ts': 'the proxy variables, listed in proxyConfigured',
  }

  // bin/glt reads the code cache's variables before src/ is loaded.
  const BIN = fileURLToPath(new URL('../../bin/glt', import.meta.url))
  const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file, text: readFileSync(path.join(SRC, file), 'utf8') }))
    .concat({ file: '../bin/glt', text: readFileSync(BIN, 'utf8') })
  // `env.NAME`, `env?.NAME`, `env['NAME']`, not a module path such as './config/env.ts'.
  const names = (text: string) => [
    ...[...text.matchAll(/(?<![\w/'"-])env\??\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/(?<![\w/'"-])env\[\s*(['"`])([^'"`]+)\1\s*\]/g)].map((m) => m[2]!),
  ]

  it('has an entry for each name src/ and bin/glt read', () => {
    // HOME only locates the default folders the entries above name.
    const read = new Set(sources.flatMap(({ text }) => names(text)).filter((name) => name !== 'HOME'))
    expect(read.size).toBeGreaterThan(10)
    expect([...read].filter((name) => !listed.has(name)).sort(), 'read in src/ or bin/glt but missing from src/help-topics.ts ENVIRONMENT').toEqual([])
  })

  it('has only computed reads it knows about', () => {
    const computed = sources.filter(({ text }) => /\benv\[\s*[A-Za-z_$][\w$]*\s*\]/.test(text)).map(({ file }) => file)
    expect(computed.sort()).toEqual(Object.keys(COMPUTED_READS).sort())
    const proxies = [...readFileSync(path.join(SRC, 'deps.ts'), 'utf8').matchAll(/'([A-Za-z]+_proxy)'/gi)].map((m) => m[1]!.toUpperCase())
    expect(new Set(proxies)).toEqual(new Set(['HTTPS_PROXY', 'HTTP_PROXY']))
    for (const proxy of proxies) expect(listed).toContain(proxy)
  })

  it('lists nothing glt does not read', () => {
    const read = new Set([...sources.flatMap(({ text }) => names(text)), 'HTTPS_PROXY', 'HTTP_PROXY', ...READ_OUTSIDE_SRC])
    expect([...listed].filter((name) => !read.has(name))).toEqual([])
  })
})
