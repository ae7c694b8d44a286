import { mkdtempSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { createAccountIndex } from '../../src/auth/account-index.ts'
import { createCredentials } from '../../src/auth/credentials.ts'
import { createMemoryKeychain } from '../../src/auth/keychain.ts'
import { resolveHost } from '../../src/config/host.ts'
import { CancelledError } from '../../src/errors.ts'
import { API, TEST_HOST, setupMsw, useGitLab } from '../helpers/msw.ts'
import { runGlt, stripAnsi } from '../helpers/run-glt.ts'

setupMsw()

const TOKEN = 'glptt-0123456789abcdef0123456789abcdef0001'
const ENV = { GITLAB_HOST: TEST_HOST, GLT_TRIGGER_TOKEN: TOKEN }

function pipeline(overrides: Record<string, unknown> = {}) {
  return {
    id: 1234,
    iid: 56,
    project_id: 42,
    sha: 'a'.repeat(40),
    ref: 'main',
    status: 'created',
    source: 'trigger',
    web_url: `${TEST_HOST}/acme/app/-/pipelines/1234`,
    ...overrides,
  }
}

/** Captures the trigger request's path and form fields, answering 201 like GitLab. */
function acceptTrigger(project = 'acme%2Fapp', answer: Record<string, unknown> = {}) {
  const seen: { path?: string; fields?: [string, string][]; json?: unknown; contentType?: string } = {}
  const handler = http.post(`${API}/projects/:id/trigger/pipeline`, async ({ request }) => {
    seen.path = new URL(request.url).pathname
    seen.contentType = request.headers.get('content-type') ?? ''
    const text = await request.text()
    if (seen.contentType.includes('json')) seen.json = JSON.parse(text)
    else seen.fields = [...new URLSearchParams(text)]
    return HttpResponse.json(pipeline(answer), { status: 201 })
  })
  useGitLab(handler)
  return { seen, expectedPath: `/api/v4/projects/${project}/trigger/pipeline` }
}

function answerTrigger(status: number, body: unknown, headers: Record<string, string> = {}) {
  useGitLab(
    http.post(`${API}/projects/:id/trigger/pipeline`, () =>
      typeof body === 'string'
        ? new HttpResponse(body, { status, headers: { 'content-type': 'text/html', ...headers } })
        : HttpResponse.json(body as Record<string, unknown>, { status, headers }),
    ),
  )
}

describe('glt trigger: what is sent', () => {
  it('posts token, ref and variables as form fields to the encoded project path', async () => {
    const { seen, expectedPath } = acceptTrigger('acme%2Fsub%2Fapp')
    const result = await runGlt(['trigger', '-p', 'acme/sub/app', '-r', 'feature/x', '--var', 'A=1', '--var', 'B=x=y z', '--var', 'EMPTY='], { env: ENV })
    expect(result.exitCode).toBe(0)
    expect(seen.path).toBe(expectedPath)
    expect(seen.fields).toEqual([
      ['token', TOKEN],
      ['ref', 'feature/x'],
      ['variables[A]', '1'],
      ['variables[B]', 'x=y z'],
      ['variables[EMPTY]', ''],
    ])
  })

  it('takes --var KEY from the environment and lets the last value for a key win, files included', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'glt-vars-'))
    const file = path.join(dir, 'deploy.env')
    await writeFile(file, 'A=from-file\nB="file b"\n')
    const { seen } = acceptTrigger()
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main', '--var', 'A=first', '--var-file', file, '--var', 'SECRET', '--var', 'B=last'], {
      env: { ...ENV, SECRET: 'from env' },
    })
    expect(result.exitCode).toBe(0)
    expect(seen.fields).toEqual([
      ['token', TOKEN],
      ['ref', 'main'],
      ['variables[A]', 'from-file'],
      ['variables[SECRET]', 'from env'],
      ['variables[B]', 'last'],
    ])
  })

  it('sends string inputs as form fields and typed inputs as one JSON body', async () => {
    const form = acceptTrigger()
    expect((await runGlt(['trigger', '-p', 'acme/app', '-r', 'main', '--input', 'env=prod'], { env: ENV })).exitCode).toBe(0)
    expect(form.seen.fields).toContainEqual(['inputs[env]', 'prod'])

    const json = acceptTrigger()
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main', '--var', 'A=1', '--input', 'replicas:=3', '--input', 'env=prod'], { env: ENV })
    expect(result.exitCode).toBe(0)
    expect(json.seen.contentType).toContain('application/json')
    expect(json.seen.json).toEqual({ token: TOKEN, ref: 'main', variables: { A: '1' }, inputs: { replicas: 3, env: 'prod' } })
  })

  it('sends a numeric project ID as is', async () => {
    const { seen } = acceptTrigger('42')
    expect((await runGlt(['trigger', '-p', '42', '-r', 'v1.0.0'], { env: ENV })).exitCode).toBe(0)
    expect(seen.path).toBe('/api/v4/projects/42/trigger/pipeline')
  })

  it('takes the project and branch from the origin remote when on the same host', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'glt-checkout-'))
    await mkdir(path.join(root, '.git'))
    await writeFile(path.join(root, '.git', 'config'), '[remote "origin"]\n\turl = git@gitlab.test:acme/app.git\n')
    await writeFile(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/feature/login\n')
    const { seen, expectedPath } = acceptTrigger()
    const result = await runGlt(['trigger'], { env: ENV, cwd: root })
    expect(result.exitCode).toBe(0)
    expect(seen.path).toBe(expectedPath)
    expect(seen.fields).toContainEqual(['ref', 'feature/login'])
  })

  it('ignores an origin remote on another host, and says so', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'glt-checkout-'))
    await mkdir(path.join(root, '.git'))
    await writeFile(path.join(root, '.git', 'config'), '[remote "origin"]\n\turl = https://github.com/acme/app.git\n')
    await writeFile(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n')
    const result = await runGlt(['trigger'], { env: ENV, cwd: root })
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe(
      'glt: missing --project: the project (its ID or full path)\n' +
        'The origin remote of this checkout is on github.com, not gitlab.test: pass --project, or --host github.com to use that GitLab.\n',
    )
  })
})

describe('glt trigger: output', () => {
  it('prints only the pipeline URL in a pipe', async () => {
    acceptTrigger()
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], { env: ENV })
    expect(result).toMatchObject({ exitCode: 0, stdout: `${TEST_HOST}/acme/app/-/pipelines/1234\n`, stderr: '' })
  })

  it('prints a readable line and the URL in a terminal', async () => {
    acceptTrigger()
    const result = await runGlt(['trigger', '-p', '42', '-r', 'main'], { env: ENV, tty: true })
    expect(result.exitCode).toBe(0)
    expect(stripAnsi(result.stdout)).toBe(`✓ Pipeline #1234 created for main in acme/app\n  ${TEST_HOST}/acme/app/-/pipelines/1234\n`)
  })

  it('prints no colour in a terminal when NO_COLOR or --no-color is set', async () => {
    acceptTrigger()
    const noColorEnv = await runGlt(['trigger', '-p', '42', '-r', 'main'], { env: { ...ENV, NO_COLOR: '1' }, tty: true })
    expect(noColorEnv.stdout).toBe(stripAnsi(noColorEnv.stdout))
    acceptTrigger()
    const noColorFlag = await runGlt(['--no-color', 'trigger', '-p', '42', '-r', 'main'], { env: ENV, tty: true })
    expect(noColorFlag.stdout).toBe(stripAnsi(noColorFlag.stdout))
    acceptTrigger()
    const colored = await runGlt(['trigger', '-p', '42', '-r', 'main'], { env: ENV, tty: true })
    expect(colored.stdout).not.toBe(stripAnsi(colored.stdout))
  })

  it('--json prints the pipeline object unchanged and nothing else', async () => {
    acceptTrigger('acme%2Fapp', { extra_field: { nested: [1, 2] } })
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main', '--json'], { env: ENV, tty: true })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(pipeline({ extra_field: { nested: [1, 2] } }))
  })

  it('--dry-run sends nothing and prints a curl command with the token as $GLT_TRIGGER_TOKEN', async () => {
    const result = await runGlt(
      ['trigger', '-p', 'acme/sub/app', '-r', 'feature/x', '--var', "MSG=it's here", '--var', 'SECRET', '--dry-run'],
      { env: { ...ENV, SECRET: 'hunter2-secret' } },
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(
      [
        'curl --request POST \\',
        '  --form-string "token=$GLT_TRIGGER_TOKEN" \\',
        '  --form-string ref=feature/x \\',
        "  --form-string 'variables[MSG]=it'\\''s here' \\",
        '  --form-string "variables[SECRET]=$SECRET" \\',
        `  ${TEST_HOST}/api/v4/projects/acme%2Fsub%2Fapp/trigger/pipeline`,
        '',
      ].join('\n'),
    )
    expect(result.stdout + result.stderr).not.toContain(TOKEN)
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret')
  })

  it('--webhook-url prints the webhook form with the ref encoded and the token masked', async () => {
    const masked = await runGlt(['trigger', '-p', 'acme/app', '-r', 'feature/x', '--webhook-url'], { env: ENV })
    expect(masked.stdout).toBe(`${TEST_HOST}/api/v4/projects/acme%2Fapp/ref/feature%2Fx/trigger/pipeline?token=glptt-…0001\n`)
    const shown = await runGlt(['trigger', '-p', 'acme/app', '-r', 'feature/x', '--webhook-url', '--show-token'], { env: ENV })
    expect(shown.stdout).toBe(`${TEST_HOST}/api/v4/projects/acme%2Fapp/ref/feature%2Fx/trigger/pipeline?token=${TOKEN}\n`)
  })

  it('--webhook-url carries --var and --input values, masking those from the environment', async () => {
    const args = ['trigger', '-p', '42', '-r', 'main', '--webhook-url', '--var', 'MSG=a b&c', '--var', 'SECRET', '--input', 'env=prod']
    const env = { ...ENV, SECRET: 'hunter2-secret-value-0000' }
    const masked = await runGlt(args, { env })
    expect(masked).toMatchObject({ exitCode: 0, stderr: '' })
    expect(masked.stdout).toBe(`${TEST_HOST}/api/v4/projects/42/ref/main/trigger/pipeline?token=glptt-…0001&variables%5BMSG%5D=a%20b%26c&variables%5BSECRET%5D=…0000&inputs%5Benv%5D=prod\n`)
    const shown = await runGlt([...args, '--show-token'], { env })
    expect(shown.stdout).toContain('&variables%5BSECRET%5D=hunter2-secret-value-0000&')
  })

  it('--webhook-url refuses a typed input before asking for anything', async () => {
    const result = await runGlt(['trigger', '-p', '42', '-r', 'main', '--webhook-url', '--input', 'replicas:=3'], { env: {}, tty: true })
    expect(result).toMatchObject({ exitCode: 2, stdout: '' })
    expect(result.stderr).toBe(
      'glt: --webhook-url cannot carry the typed input replicas (NAME:=JSON): a URL holds strings only\n' +
        'Give it as a string (--input replicas=VALUE) if the input takes one, or trigger with glt trigger instead.\n',
    )
  })
})

describe('glt trigger: tokens', () => {
  it.each([
    ['--token', { args: ['--token', 'glptt-from-flag-0000000000000000'], env: {} }, 'glptt-from-flag-0000000000000000'],
    ['GLT_TRIGGER_TOKEN over CI_JOB_TOKEN', { args: [], env: { GLT_TRIGGER_TOKEN: TOKEN, GITLAB_CI: 'true', CI_JOB_TOKEN: 'glcbt-job' } }, TOKEN],
    ['CI_JOB_TOKEN inside GitLab CI', { args: [], env: { GITLAB_CI: 'true', CI: 'true', CI_JOB_TOKEN: 'glcbt-job-token-000' } }, 'glcbt-job-token-000'],
  ])('uses %s', async (_name, given, expected) => {
    const { seen } = acceptTrigger()
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main', ...given.args], { env: { GITLAB_HOST: TEST_HOST, ...given.env } })
    expect(result.exitCode).toBe(0)
    expect(seen.fields).toContainEqual(['token', expected])
  })

  it('reads --token-stdin, trimming the newline', async () => {
    const { seen } = acceptTrigger()
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main', '--token-stdin'], { env: { GITLAB_HOST: TEST_HOST }, stdin: `${TOKEN}\n` })
    expect(result.exitCode).toBe(0)
    expect(seen.fields).toContainEqual(['token', TOKEN])
  })

  it('uses a saved token when no other is given, then finds it by ID as well as by path', async () => {
    const configDir = mkdtempSync(path.join(tmpdir(), 'glt-config-'))
    const keychain = createMemoryKeychain()
    const credentials = createCredentials({
      keychain,
      file: createMemoryKeychain(),
      index: createAccountIndex({ configDir }),
      now: () => new Date(),
    })
    await credentials.saveTriggerToken(resolveHost(TEST_HOST, {}), { paths: ['acme/app'] }, TOKEN, 'keychain')
    const byPath = acceptTrigger()
    const first = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], { env: { GITLAB_HOST: TEST_HOST }, keychain, configDir })
    expect(first.exitCode).toBe(0)
    expect(byPath.seen.fields).toContainEqual(['token', TOKEN])

    const byId = acceptTrigger('42')
    const second = await runGlt(['trigger', '-p', '42', '-r', 'main'], { env: { GITLAB_HOST: TEST_HOST }, keychain, configDir })
    expect(second.exitCode).toBe(0)
    expect(byId.seen.fields).toContainEqual(['token', TOKEN])
  })

  it('never uses a token saved for another host', async () => {
    const configDir = mkdtempSync(path.join(tmpdir(), 'glt-config-'))
    const keychain = createMemoryKeychain()
    const credentials = createCredentials({ keychain, file: createMemoryKeychain(), index: createAccountIndex({ configDir }), now: () => new Date() })
    await credentials.saveTriggerToken(resolveHost('https://other.test', {}), { id: 42, paths: ['acme/app'] }, TOKEN, 'keychain')
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], { env: { GITLAB_HOST: TEST_HOST }, keychain, configDir })
    expect(result.exitCode).toBe(3)
  })

  it('prompts for a masked token in a terminal', async () => {
    const { seen } = acceptTrigger()
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], {
      env: { GITLAB_HOST: TEST_HOST },
      tty: true,
      prompts: [{ kind: 'secret', message: 'Trigger token for acme/app', answer: TOKEN }],
    })
    expect(result.exitCode).toBe(0)
    expect(seen.fields).toContainEqual(['token', TOKEN])
  })

  it('an empty answer at the token prompt is a usage error, and nothing is sent', async () => {
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], {
      env: { GITLAB_HOST: TEST_HOST },
      tty: true,
      prompts: [{ kind: 'secret', message: 'Trigger token for acme/app', answer: '  ' }],
    })
    expect(result).toMatchObject({ exitCode: 2, stdout: '', stderr: 'glt: no token given\nPaste a pipeline trigger token (glptt-…) at the prompt.\n' })
  })

  it('names the prompt when a personal access token is typed there', async () => {
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], {
      env: { GITLAB_HOST: TEST_HOST },
      tty: true,
      prompts: [{ kind: 'secret', message: 'Trigger token for acme/app', answer: 'glpat-abcdefghijklmnopqrst' }],
    })
    expect(result.exitCode).toBe(3)
    expect(result.stderr.split('\n')[0]).toBe('glt: the token from the prompt is a personal access token (glpat-…), not a pipeline trigger token')
  })

  it('takes GLT_TRIGGER_TOKEN set to nothing as unset', async () => {
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], { env: { GITLAB_HOST: TEST_HOST, GLT_TRIGGER_TOKEN: '' } })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toContain('glt: no trigger token for acme/app')
  })

  it('exits 3 listing the ways to give a token when none is found', async () => {
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], { env: { GITLAB_HOST: TEST_HOST } })
    expect(result).toMatchObject({ exitCode: 3, stdout: '' })
    expect(result.stderr).toBe(
      'glt: no trigger token for acme/app\nPass --token-stdin or --token, set GLT_TRIGGER_TOKEN, or save one with: glt tokens save --project acme/app\n',
    )
  })

  it('refuses a personal access token before sending, explaining the 404 it would get', async () => {
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main', '--token', 'glpat-abcdefghijklmnopqrst'], { env: { GITLAB_HOST: TEST_HOST } })
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('is a personal access token (glpat-…), not a pipeline trigger token')
    expect(result.stderr).toContain('GitLab answers 404 Not Found')
    expect(result.stderr).not.toContain('abcdefghijklmnopqrst')
  })

  it('does not prompt under CI even with a terminal', async () => {
    const result = await runGlt(['trigger', '-p', 'acme/app', '-r', 'main'], { env: { GITLAB_HOST: TEST_HOST, CI: 'true' }, tty: true })
    expect(result.exitCode).toBe(3)
  })
})

describe('glt trigger: usage errors exit 2 before sending', () => {
  it.each([
    [['trigger', '-r', 'main'], 'missing --project'],
    [['trigger', '-p', 'acme/app'], 'missing --ref'],
    [['trigger', '-p', 'acme/app', '-r', ''], '--ref is empty'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--var', 'BAD-KEY=1'], 'invalid variable name "BAD-KEY"'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--var', 'UNSET_VAR'], 'environment variable UNSET_VAR is not set'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--var-file', '/nonexistent/x.env'], 'cannot read --var-file /nonexistent/x.env: no such file'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--var-file', tmpdir()], `cannot read --var-file ${tmpdir()}: it is a directory`],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--input', 'n:=nope'], '--input n:= needs valid JSON'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--timeout', 'soon'], 'invalid duration for --timeout'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--host', 'http://gitlab.example.com'], 'refusing to send a token over plain http'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--token', 'a', '--token-stdin'], '--token and --token-stdin cannot be used together'],
    [['trigger', '--bogus'], "unknown option '--bogus'"],
    [['trigger', '-p'], "option '-p, --project <id|path>' argument missing"],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--show-token'], '--show-token only goes with --webhook-url'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--interval', '2s'], '--interval only goes with --wait'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--dry-run', '--json'], '--json cannot be used with --dry-run'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--webhook-url', '--json'], '--json cannot be used with --webhook-url'],
    [['trigger', '-p', 'acme/app', '-r', 'main', '--timeout', '2000h'], '--timeout can be at most 596h'],
    [['nope'], "unknown command 'nope'"],
  ])('%j → %s', async (argv, message) => {
    const result = await runGlt(argv, { env: ENV })
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(message)
    expect(result.stderr.startsWith('glt: ')).toBe(true)
    // What happened, then what to do: two lines, never a stack.
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(2)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('prompts for a missing project and ref in a terminal', async () => {
    const { seen, expectedPath } = acceptTrigger()
    const result = await runGlt(['trigger'], {
      env: ENV,
      tty: true,
      prompts: [
        { kind: 'text', message: 'GitLab project', answer: 'acme/app' },
        { kind: 'text', message: 'Branch or tag', answer: 'main' },
      ],
    })
    expect(result.exitCode).toBe(0)
    expect(seen.path).toBe(expectedPath)
  })

  it('exits 130 with nothing sent when a prompt is cancelled', async () => {
    const cancelled = new CancelledError('cancelled')
    const result = await runGlt(['trigger', '-r', 'main'], { env: ENV, tty: true, prompts: [{ kind: 'text', answer: cancelled }] })
    expect(result).toMatchObject({ exitCode: 130, stdout: '' })
  })
})

describe('glt trigger: GitLab errors, explained', () => {
  const run = (extra: string[] = [], env: Record<string, string> = ENV) => runGlt(['trigger', '-p', 'acme/app', '-r', 'feature/x', ...extra], { env })

  it.each([
    [404, { message: '404 Not Found' }, 3, 'no project acme/app on gitlab.test accepts this trigger token', 'revoked or expired'],
    [400, { message: { base: ['Reference not found'] } }, 1, 'GitLab found no branch or tag named "feature/x" in acme/app', 'branch or tag'],
    [400, { error: 'variables is invalid' }, 1, 'GitLab rejected the variables: variables is invalid', '--var KEY=VALUE'],
    [400, { message: 'variables needs to be a map of key-valued strings' }, 1, 'GitLab rejected the variables', '--var'],
    [400, { message: { base: ['Input `replicas`: provided value is not a number'] } }, 1, 'GitLab rejected the pipeline inputs', 'spec:inputs'],
    [400, { message: { base: ['Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.'] } }, 1, 'GitLab did not create the pipeline: Pipeline will not run', 'CI_PIPELINE_SOURCE'],
    [401, { message: '401 Unauthorized' }, 3, 'GitLab rejected the trigger token (401 Unauthorized)', 'glt tokens create'],
    [403, { message: '403 Forbidden' }, 3, 'GitLab refused to create the pipeline (403 Forbidden)', 'protected branch'],
    [500, { message: '500 Internal Server Error' }, 1, 'GitLab at gitlab.test failed with 500', 'may have been created'],
    [502, '<html>Bad Gateway</html>', 1, 'GitLab at gitlab.test failed with 502', 'check the project'],
    [200, '<!DOCTYPE html><html><title>Sign in</title></html>', 1, 'gitlab.test answered 200 with an HTML page, not GitLab\'s JSON', 'Is --host right?'],
  ])('%d %j → exit %d', async (status, body, exitCode, message, hint) => {
    answerTrigger(status, body)
    const result = await run()
    expect(result.exitCode).toBe(exitCode)
    expect(result.stdout).toBe('')
    const [first, second, ...rest] = result.stderr.trimEnd().split('\n')
    expect(first).toContain(message)
    expect(second).toContain(hint)
    expect(rest).toEqual([])
  })

  it('retries a 429 twice, as told by Retry-After or after 1s and 2s, then says when to retry', async () => {
    answerTrigger(429, { message: 'Too many requests' })
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(result.sleeps).toEqual([1000, 2000])
    expect(result.stderr).toBe(
      [
        'glt: GitLab answered 429; retrying in 1s',
        'glt: GitLab answered 429; retrying in 2s',
        'glt: GitLab is rate limiting requests (429 Too Many Requests)',
        'Wait a minute before retrying.',
        '',
      ].join('\n'),
    )
  })

  it('honours Retry-After, and reports a long one instead of sitting silent', async () => {
    answerTrigger(429, { message: 'Too many requests' }, { 'Retry-After': '5' })
    expect((await run()).sleeps).toEqual([5000, 5000])
    answerTrigger(429, { message: 'Too many requests' }, { 'Retry-After': '3600' })
    const long = await run()
    expect(long.sleeps).toEqual([])
    expect(long.stderr).toContain('Retry in 3600 seconds.')
  })

  it('does not retry a POST that GitLab may have acted on (5xx)', async () => {
    answerTrigger(503, { message: '503 Service Unavailable' })
    expect((await run()).sleeps).toEqual([])
  })

  it('explains a 404 with a job token as the allowlist', async () => {
    answerTrigger(404, { message: '404 Not Found' })
    const result = await run([], { GITLAB_HOST: TEST_HOST, GITLAB_CI: 'true', CI_JOB_TOKEN: 'glcbt-64_job-token-value' })
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('CI_JOB_TOKEN may not trigger pipelines in acme/app')
    expect(result.stderr).toContain('job token allowlist')
  })

  it('does not follow a redirect', async () => {
    useGitLab(http.post(`${API}/projects/:id/trigger/pipeline`, () => new HttpResponse(null, { status: 302, headers: { Location: 'https://evil.example/steal' } })))
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('answered 302 with a redirect to https://evil.example; glt does not follow redirects')
  })

  it('refuses an answer larger than the cap instead of buffering it', async () => {
    useGitLab(
      http.post(`${API}/projects/:id/trigger/pipeline`, () => {
        const chunk = new Uint8Array(1024 * 1024).fill(0x61)
        let sent = 0
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ >= 30) controller.close()
            else controller.enqueue(chunk)
          },
        })
        return new HttpResponse(stream, { status: 201, headers: { 'content-type': 'application/json' } })
      }),
    )
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('sent an answer larger than 8 MiB')
  })
})

describe('glt trigger --debug', () => {
  const SECRET_VALUE = 'var-value-that-is-secret'
  const cases: [string, () => void][] = [
    ['success', () => acceptTrigger()],
    ['404', () => answerTrigger(404, { message: '404 Not Found' })],
    ['400 ref', () => answerTrigger(400, { message: { base: ['Reference not found'] } })],
    ['401', () => answerTrigger(401, { message: '401 Unauthorized' })],
    ['500 echoing the request', () => useGitLab(http.post(`${API}/projects/:id/trigger/pipeline`, async ({ request }) => HttpResponse.json({ echo: await request.text() }, { status: 500 })))],
    ['html', () => answerTrigger(200, `<html>${TOKEN}</html>`)],
  ]
  it.each(cases)('shows the exchange but never the token or variable values (%s)', async (_name, arrange) => {
    arrange()
    const result = await runGlt(['--debug', 'trigger', '-p', 'acme/app', '-r', 'main', '--var', `SECRET=${SECRET_VALUE}`], { env: ENV })
    const output = result.stdout + result.stderr
    expect(output).toContain('debug: > POST https://gitlab.test/api/v4/projects/acme%2Fapp/trigger/pipeline')
    expect(output).toContain('token=[REDACTED]&ref=main&variables[SECRET]=[REDACTED]')
    expect(output).not.toContain(TOKEN)
    expect(output).not.toContain(TOKEN.slice(6))
    expect(output).not.toContain(SECRET_VALUE)
  })
})
