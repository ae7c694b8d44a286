import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { ADA, ADA_TRIGGER, DEMO_JOB_TOKEN, DEMO_PROJECT, EXPIRED_TRIGGER, seedDemo } from '../fake-gitlab/seed.ts'
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/server.ts'
import { useSeededGitLab } from './seeded-gitlab.ts'
import { allOutputs, spawnGlt, type SpawnResult } from './spawn-glt.ts'

let gitlab: FakeGitLab
// Async: the fake GitLab runs in this process, so a blocking child would wait for it forever.
const run = promisify(execFile)

useSeededGitLab((fake) => (gitlab = fake))

const TOKEN = ADA_TRIGGER.token
const env = (extra: Record<string, string> = {}) => ({ GITLAB_HOST: gitlab.url, GLT_TRIGGER_TOKEN: TOKEN, ...extra })
const trigger = (args: string[], extra: Record<string, string> = {}, stdin?: string) =>
  spawnGlt(['trigger', '-p', DEMO_PROJECT.path, ...args], stdin === undefined ? { env: env(extra) } : { env: env(extra), stdin })

/** The request glt sent to the trigger endpoint (exactly one). */
function triggerRequest() {
  const sent = gitlab.requests.filter((r) => r.route === 'trigger')
  expect(sent).toHaveLength(1)
  return sent[0]!
}

describe('glt trigger against a GitLab', () => {
  it('creates a pipeline for a slashed ref with variables, sending exactly what was given', async () => {
    const result = await trigger(['-r', 'feature/login-form', '--var', 'DEPLOY_ENV=staging', '--var', 'NOTE=a=b c ünï'])
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    const pipeline = gitlab.pipelines[0]!
    expect(result.stdout).toBe(`${gitlab.url}/${DEMO_PROJECT.path}/-/pipelines/${pipeline.id}\n`)

    const sent = triggerRequest()
    expect(sent.method).toBe('POST')
    expect(sent.rawPath).toBe(`/api/v4/projects/${DEMO_PROJECT.encodedPath}/trigger/pipeline`)
    expect(sent.params).toEqual({ token: TOKEN, ref: 'feature/login-form', variables: { DEPLOY_ENV: 'staging', NOTE: 'a=b c ünï' } })
  })

  it('--json prints the pipeline object as GitLab returned it', async () => {
    const result = await trigger(['-r', 'main', '--json'])
    expect(result.exitCode).toBe(0)
    const printed = JSON.parse(result.stdout) as Record<string, unknown>
    expect(printed).toMatchObject({ id: gitlab.pipelines[0]!.id, project_id: DEMO_PROJECT.id, ref: 'main', status: 'created', source: 'trigger' })
    expect(Object.keys(printed)).toEqual(expect.arrayContaining(['sha', 'web_url', 'created_at', 'detailed_status']))
  })

  it('reads the token from stdin and a numeric project ID', async () => {
    const result = await spawnGlt(['trigger', '-p', String(DEMO_PROJECT.id), '-r', 'v1.2.0', '--token-stdin'], {
      env: { GITLAB_HOST: gitlab.url },
      stdin: `${TOKEN}\n`,
    })
    expect(result.exitCode).toBe(0)
    expect(triggerRequest().rawPath).toBe(`/api/v4/projects/${DEMO_PROJECT.id}/trigger/pipeline`)
    expect(triggerRequest().params.token).toBe(TOKEN)
  })

  it('triggers a multi-project pipeline with CI_JOB_TOKEN inside GitLab CI', async () => {
    const result = await spawnGlt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'], {
      env: { CI: 'true', GITLAB_CI: 'true', CI_SERVER_URL: gitlab.url, CI_JOB_TOKEN: DEMO_JOB_TOKEN },
    })
    expect(result.exitCode).toBe(0)
    expect(gitlab.pipelines[0]!.source).toBe('pipeline')
  })

  it('the --dry-run curl command, pasted into a shell, does the same trigger', async () => {
    const args = ['-r', 'feature/login-form', '--var', "QUOTE=it's \"quoted\" $HOME `x`", '--var', 'MULTI=line 1\nline 2', '--var', 'FROM_ENV']
    const dry = await trigger([...args, '--dry-run'], { FROM_ENV: 'env value' })
    expect(dry.exitCode).toBe(0)
    expect(gitlab.requests).toEqual([])
    expect(dry.stdout).not.toContain(TOKEN)
    expect(dry.stdout).not.toContain('env value')

    await run('sh', ['-c', dry.stdout], { env: { PATH: process.env.PATH ?? '', GLT_TRIGGER_TOKEN: TOKEN, FROM_ENV: 'env value' } })
    expect(triggerRequest().params).toEqual({
      token: TOKEN,
      ref: 'feature/login-form',
      variables: { QUOTE: "it's \"quoted\" $HOME `x`", MULTI: 'line 1\nline 2', FROM_ENV: 'env value' },
    })
  })

  it('sends typed inputs as JSON, and the dry-run curl does too', async () => {
    const result = await trigger(['-r', 'main', '--input', 'replicas:=3', '--input', 'regions:=["eu","us"]', '--input', 'env=prod'])
    expect(result.exitCode).toBe(0)
    expect(triggerRequest().contentType).toBe('application/json')
    expect(triggerRequest().params.inputs).toEqual({ replicas: 3, regions: ['eu', 'us'], env: 'prod' })

    // A --var KEY from the environment stays $KEY in the JSON body too, as the token does.
    const dry = await trigger(['-r', 'main', '--input', 'replicas:=3', '--var', 'FROM_ENV', '--var', 'SHOWN=yes', '--dry-run'], { FROM_ENV: 'env value' })
    expect(dry.stdout).not.toContain('env value')
    gitlab.requests.length = 0
    await run('sh', ['-c', dry.stdout], { env: { PATH: process.env.PATH ?? '', GLT_TRIGGER_TOKEN: TOKEN, FROM_ENV: 'env value' } })
    expect(triggerRequest().params).toEqual({ token: TOKEN, ref: 'main', variables: { FROM_ENV: 'env value', SHOWN: 'yes' }, inputs: { replicas: 3 } })
  })

  it('prints a webhook URL that triggers the pipeline when called', async () => {
    const masked = await trigger(['-r', 'feature/login-form', '--webhook-url'])
    expect(masked.stdout).toBe(`${gitlab.url}/api/v4/projects/${DEMO_PROJECT.encodedPath}/ref/feature%2Flogin-form/trigger/pipeline?token=glptt-…0001\n`)
    const shown = await spawnGlt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'feature/login-form', '--webhook-url', '--show-token', '--var', 'DEPLOY=a b&c'], {
      env: env(),
      showsSecretOnPurpose: true,
    })
    await run('curl', ['--silent', '--fail', '--request', 'POST', shown.stdout.trim()])
    const sent = gitlab.requests.find((r) => r.route === 'webhook-trigger')
    expect(sent?.pathParams.ref).toBe('feature/login-form')
    expect(sent?.params.variables).toEqual({ DEPLOY: 'a b&c' })
    expect(gitlab.pipelines).toHaveLength(1)
  })
})

describe('glt trigger: failures, explained', () => {
  const expectFailure = (result: SpawnResult, exitCode: number, message: string) => {
    expect(result.exitCode).toBe(exitCode)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(message)
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(2)
  }

  it('refuses a personal access token without sending it', async () => {
    const result = await trigger(['-r', 'main'], { GLT_TRIGGER_TOKEN: ADA.pat })
    expectFailure(result, 3, 'is a personal access token')
    expect(gitlab.requests).toEqual([])
  })

  it('explains the bare 404 of an expired token', async () => {
    expectFailure(await trigger(['-r', 'main'], { GLT_TRIGGER_TOKEN: EXPIRED_TRIGGER.token }), 3, 'accepts this trigger token')
  })

  it('explains a job token the target project does not allow', async () => {
    gitlab.addJobToken('glcbt-not-allowed-0000000000000000', { projectId: 7, allowedTargets: [] })
    const result = await spawnGlt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'], {
      env: { CI: 'true', GITLAB_CI: 'true', CI_SERVER_URL: gitlab.url, CI_JOB_TOKEN: 'glcbt-not-allowed-0000000000000000' },
    })
    expectFailure(result, 3, 'CI_JOB_TOKEN may not trigger pipelines')
  })

  it('names the ref GitLab did not find', async () => {
    expectFailure(await trigger(['-r', 'feature/nope']), 1, 'no branch or tag named "feature/nope"')
  })

  it('says a login page is not GitLab', async () => {
    gitlab.inject('trigger', { html: true })
    expectFailure(await trigger(['-r', 'main']), 1, 'with an HTML page')
  })

  it('does not retry a 502 after sending: one pipeline, and a hint to check', async () => {
    gitlab.inject('trigger', { status: 502, body: '<html>Bad Gateway</html>', handled: true })
    expectFailure(await trigger(['-r', 'main']), 1, 'failed with 502')
    expect(gitlab.pipelines).toHaveLength(1)
    expect(gitlab.requests).toHaveLength(1)
  })

  it('reports a connection reset mid-answer, without a second pipeline', async () => {
    gitlab.inject('trigger', { resetAfterHeaders: true })
    expectFailure(await trigger(['-r', 'main']), 1, 'closed before GitLab\'s answer was complete')
    expect(gitlab.pipelines).toHaveLength(1)
    expect(gitlab.requests).toHaveLength(1)
  })

  it.each([503, 504])('does not retry a %d after sending', async (status) => {
    gitlab.inject('trigger', { status, handled: true })
    expectFailure(await trigger(['-r', 'main']), 1, `failed with ${status}`)
    expect(gitlab.pipelines).toHaveLength(1)
  })

  it.each([
    ['with Retry-After', { status: 429, retryAfter: 1 }],
    ['without Retry-After', { status: 429 }],
  ])('retries a 429 %s and creates exactly one pipeline', async (_name, fault) => {
    gitlab.inject('trigger', fault)
    const result = await trigger(['-r', 'main'])
    expect(result).toMatchObject({ exitCode: 0, stderr: 'glt: GitLab answered 429; retrying in 1s\n' })
    expect(gitlab.requests.filter((r) => r.route === 'trigger')).toHaveLength(2)
    expect(gitlab.pipelines).toHaveLength(1)
  })

  it('retries a refused connection until GitLab is up', async () => {
    const probe = await startFakeGitLab()
    const port = Number(new URL(probe.url).port)
    await probe.close()
    let late: FakeGitLab | undefined
    const starting = new Promise<void>((resolve) =>
      setTimeout(() => {
        void startFakeGitLab({ port }).then((server) => {
          late = server
          seedDemo(server)
          resolve()
        })
      }, 300),
    )
    try {
      const result = await spawnGlt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'], {
        env: { GITLAB_HOST: `http://127.0.0.1:${port}`, GLT_TRIGGER_TOKEN: TOKEN },
      })
      await starting
      expect(result.exitCode).toBe(0)
      expect(result.stderr).toContain('connection refused; retrying in 1s')
      expect(late?.pipelines).toHaveLength(1)
    } finally {
      await starting
      await late?.close()
    }
  })

  it('gives up after --timeout', async () => {
    gitlab.inject('trigger', { delayHeadersMs: 5000 })
    expectFailure(await trigger(['-r', 'main', '--timeout', '300ms']), 1, 'no answer from 127.0.0.1')
  })

  it('caps a huge answer instead of buffering it', async () => {
    gitlab.inject('trigger', { hugeBodyBytes: 30 * 1024 * 1024 })
    expectFailure(await trigger(['-r', 'main']), 1, 'larger than 8 MiB')
  })

  it('does not follow a redirect, so the token never reaches the other host', async () => {
    const elsewhere = await startFakeGitLab()
    try {
      gitlab.inject('trigger', { redirectTo: `${elsewhere.url}/api/v4/projects/42/trigger/pipeline`, status: 307 })
      expectFailure(await trigger(['-r', 'main']), 1, 'glt does not follow redirects')
      expect(elsewhere.requests).toEqual([])
    } finally {
      await elsewhere.close()
    }
  })

  it('explains a refused connection', async () => {
    const closed = await startFakeGitLab()
    const url = closed.url
    await closed.close()
    const result = await spawnGlt(['trigger', '-p', 'a/b', '-r', 'main'], { env: { GITLAB_HOST: url, GLT_TRIGGER_TOKEN: TOKEN } })
    expect(result.exitCode).toBe(1)
    // Nothing was sent, so glt tried twice more before explaining.
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `glt: could not connect to ${url.slice('http://'.length)}: connection refused; retrying in 1s`,
      `glt: could not connect to ${url.slice('http://'.length)}: connection refused; retrying in 2s`,
      `glt: could not connect to ${url.slice('http://'.length)}: connection refused`,
      `Is ${url} the right GitLab (--host, GITLAB_HOST), and is it up?`,
    ])
  })

  it('says when a bare host name (https) reaches a plain http server, sending nothing', async () => {
    const hostPort = gitlab.url.slice('http://'.length)
    const result = await spawnGlt(['trigger', '-p', 'a/b', '-r', 'main', '--host', hostPort], { env: { GLT_TRIGGER_TOKEN: TOKEN } })
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `glt: ${hostPort} does not speak TLS: is it a plain http server?`,
      `A bare host name means https. For plain http give --host http://${hostPort} (glt sends a token over http only to loopback addresses, or with GLT_ALLOW_HTTP=1).`,
    ])
    expect(gitlab.pipelines).toEqual([])
  })

  it('explains a name that does not resolve', async () => {
    const result = await spawnGlt(['trigger', '-p', 'a/b', '-r', 'main'], { env: { GITLAB_HOST: 'gitlab.glt-test.invalid', GLT_TRIGGER_TOKEN: TOKEN } })
    expectFailure(result, 1, 'could not resolve gitlab.glt-test.invalid')
  })

  it('exits 130 on Ctrl-C while waiting for GitLab', async () => {
    gitlab.inject('trigger', { delayHeadersMs: 10_000 })
    const result = await spawnGlt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'], {
      env: env(),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (gitlab.requests.length > 0) {
            clearInterval(timer)
            child.kill('SIGINT')
          }
        }, 20)
      },
    })
    expect(result.exitCode).toBe(130)
    expect(result.stdout).toBe('')
  })
})

describe('glt trigger over TLS', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'glt-tls-'))
  const key = path.join(dir, 'key.pem')
  const cert = path.join(dir, 'cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' })

  it('fails on a self-signed certificate with the NODE_EXTRA_CA_CERTS hint, and passes with it', async () => {
    const secure = await startFakeGitLab({ tls: { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') } })
    seedDemo(secure)
    try {
      const args = ['trigger', '-p', DEMO_PROJECT.path, '-r', 'main']
      const untrusted = await spawnGlt(args, { env: { GITLAB_HOST: secure.url, GLT_TRIGGER_TOKEN: TOKEN } })
      expect(untrusted.exitCode).toBe(1)
      expect(untrusted.stderr).toContain('TLS error talking to 127.0.0.1')
      expect(untrusted.stderr).toContain('NODE_EXTRA_CA_CERTS')
      expect(secure.pipelines).toEqual([])

      const trusted = await spawnGlt(args, { env: { GITLAB_HOST: secure.url, GLT_TRIGGER_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: cert } })
      expect(trusted.exitCode).toBe(0)
      expect(secure.pipelines).toHaveLength(1)
    } finally {
      await secure.close()
    }
  })
})

describe('glt trigger through a proxy', () => {
  it('tunnels the request through the proxy named by HTTP_PROXY', async () => {
    const tunnels: string[] = []
    // undici's proxy agent always asks for a CONNECT tunnel; this proxy opens it to the fake GitLab.
    const proxy = http.createServer((_req, res) => res.writeHead(405).end())
    proxy.on('connect', (req: http.IncomingMessage, client: Socket) => {
      tunnels.push(`${req.method} ${req.url}`)
      const upstream = connect(Number(new URL(gitlab.url).port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const { port } = proxy.address() as AddressInfo
    try {
      const result = await spawnGlt(['trigger', '-p', DEMO_PROJECT.path, '-r', 'main'], {
        env: { GITLAB_HOST: 'http://gitlab.behind-proxy.test', GLT_ALLOW_HTTP: '1', GLT_TRIGGER_TOKEN: TOKEN, HTTP_PROXY: `http://127.0.0.1:${port}` },
      })
      expect(result.stderr).toBe('')
      expect(result.exitCode).toBe(0)
      expect(tunnels).toEqual(['CONNECT gitlab.behind-proxy.test:80'])
      expect(gitlab.pipelines).toHaveLength(1)
    } finally {
      proxy.close()
    }
  })
})

describe('no secret in any output', () => {
  const SECRET_VAR = 'value-of-a-secret-variable'
  const scenarios: [string, (g: FakeGitLab) => void, Record<string, string>][] = [
    ['success', () => {}, {}],
    ['404', () => {}, { GLT_TRIGGER_TOKEN: EXPIRED_TRIGGER.token }],
    ['html', (g) => g.inject('trigger', { html: true }), {}],
    ['500', (g) => g.inject('trigger', { status: 500, body: { message: '500 Internal Server Error' } }), {}],
    ['429', (g) => g.inject('trigger', { status: 429, retryAfter: 3 }), {}],
    ['reset', (g) => g.inject('trigger', { resetAfterHeaders: true }), {}],
    ['truncated', (g) => g.inject('trigger', { truncateJson: true }), {}],
    ['redirect', (g) => g.inject('trigger', { redirectTo: 'http://127.0.0.1:9/x' }), {}],
    ['timeout', (g) => g.inject('trigger', { delayHeadersMs: 3000 }), {}],
  ]
  it.each(scenarios)('--debug shows the exchange but no token or variable value (%s)', async (_name, arrange, extra) => {
    arrange(gitlab)
    const tokenUsed = extra.GLT_TRIGGER_TOKEN ?? TOKEN
    const result = await spawnGlt(['--debug', 'trigger', '-p', DEMO_PROJECT.path, '-r', 'main', '--var', `SECRET=${SECRET_VAR}`, '--timeout', '1s'], {
      env: env(extra),
    })
    const output = result.stdout + result.stderr
    expect(output).toContain('debug: > POST')
    expect(output).not.toContain(tokenUsed)
    expect(output).not.toContain(tokenUsed.slice('glptt-'.length))
    expect(output).not.toContain(SECRET_VAR)
  })

  afterAll(() => {
    // Every glt run in this file: none printed a token it was given.
    const secrets = [ADA_TRIGGER.token, EXPIRED_TRIGGER.token, ADA.pat, DEMO_JOB_TOKEN, SECRET_VAR]
    for (const output of allOutputs) for (const secret of secrets) expect(output).not.toContain(secret)
  })
})
