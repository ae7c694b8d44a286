import fc from 'fast-check'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/errors.ts'
import { parseDotenv, parseInputArgument } from '../../src/vars.ts'
import { API, TEST_HOST, allowGitLab, setupMsw } from '../helpers/msw.ts'
import { runGlt } from '../helpers/run-glt.ts'

setupMsw()

// Thousands of generated command lines per run; fast-check prints the seed of any failure, and
// FC_SEED=<seed> replays it.
const runs = Number(process.env.FC_RUNS ?? 2000)
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
const params = { numRuns: runs, ...(seed === undefined ? {} : { seed }) }

const validKey = fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/)
const invalidKey = fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9_]{0,4}[^A-Za-z0-9_=][A-Za-z0-9_]{0,4}$/))
const anyValue = fc.string({ unit: 'binary', maxLength: 24 })

type VarArg = { kind: 'pair'; key: string; value: string; valid: boolean } | { kind: 'env'; key: string; set: boolean; valid: boolean }

const varArg: fc.Arbitrary<VarArg> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('pair' as const), key: validKey, value: anyValue, valid: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pair' as const), key: invalidKey, value: anyValue, valid: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('env' as const), key: validKey, set: fc.boolean(), valid: fc.constant(true) }) },
)

describe('fuzzing glt trigger arguments', () => {
  it('sends exactly the variables given (last wins) or exits 2 having sent nothing, never crashing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(varArg, { maxLength: 6 }), fc.boolean(), async (vars, equalsForm) => {
        const env: Record<string, string> = { GITLAB_HOST: TEST_HOST, GLT_TRIGGER_TOKEN: 'glptt-fuzz-000000000000000000' }
        const argv = ['trigger', '-p', 'acme/app', '-r', 'main']
        const expected = new Map<string, string>()
        let rejected = false
        for (const v of vars) {
          const text = v.kind === 'pair' ? `${v.key}=${v.value}` : v.key
          argv.push(...(equalsForm ? [`--var=${text}`] : ['--var', text]))
          if (v.kind === 'env') {
            // A bare KEY that happens to be one of glt's own variables would change its behaviour.
            if (v.set && !Object.hasOwn(env, v.key)) env[v.key] = `env-${v.key}`
            if (!Object.hasOwn(env, v.key)) rejected = true
            else {
              expected.delete(v.key)
              expected.set(v.key, env[v.key]!)
            }
          } else if (!v.valid) {
            rejected = true
          } else {
            expected.delete(v.key)
            expected.set(v.key, v.value)
          }
        }
        let sent: [string, string][] | undefined
        allowGitLab(
          http.post(`${API}/projects/:id/trigger/pipeline`, async ({ request }) => {
            sent = [...new URLSearchParams(await request.text())]
            return HttpResponse.json({ id: 1, project_id: 1, ref: 'main', status: 'created', web_url: `${TEST_HOST}/acme/app/-/pipelines/1` }, { status: 201 })
          }),
        )
        const result = await runGlt(argv, { env })
        expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /)
        if (rejected) {
          expect(result.exitCode).toBe(2)
          expect(sent).toBeUndefined()
        } else {
          expect(result.exitCode, result.stderr).toBe(0)
          const variables = (sent ?? []).filter(([name]) => name.startsWith('variables[')).map(([name, value]) => [name.slice(10, -1), value])
          expect(variables).toEqual([...expected])
        }
      }),
      params,
    )
  }, 120_000)

  it('the dotenv parser returns variables or a UsageError for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        try {
          for (const variable of parseDotenv(text, 'fuzz.env')) expect(variable.key).toMatch(/^[A-Za-z0-9_]+$/)
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError)
        }
      }),
      params,
    )
  })

  it('the --input parser returns an input or a UsageError for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        try {
          parseInputArgument(text)
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError)
        }
      }),
      params,
    )
  })
})
