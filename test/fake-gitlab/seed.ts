import type { FakeGitLab } from './server.ts'

// The demo data, shared by end-to-end tests, the demo script and the benchmark.

export const DEMO_PROJECT = {
  id: 42,
  path: 'acme/platform/api',
  encodedPath: 'acme%2Fplatform%2Fapi',
  branches: ['main', 'feature/login-form', 'release/2.0'],
  tags: ['v1.2.0'],
} as const

/** The project whose CI job holds DEMO_JOB_TOKEN; project 42's allowlist admits it. */
export const TOOLS_PROJECT = { id: 7, path: 'acme/tools', encodedPath: 'acme%2Ftools' } as const

/** Maintainer of both projects; PAT with the `api` scope. */
export const ADA = { id: 1, username: 'ada', name: 'Ada Lovelace', pat: 'glpat-demo-ada-0000000000000000' } as const

/** Developer on project 42; PAT with `read_api` only. */
export const BOB = { id: 2, username: 'bob', name: 'Bob Builder', pat: 'glpat-demo-bob-0000000000000000' } as const

export const ADA_TRIGGER = {
  id: 1,
  token: 'glptt-demo0000000000000000000000000000000001',
  description: 'Deploy from acme/tools',
} as const

export const BOB_TRIGGER = {
  id: 2,
  token: 'glptt-demo0000000000000000000000000000000002',
  description: 'Nightly integration tests',
} as const

/** Ada's, expired: triggering with it gets GitLab's bare 404. */
export const EXPIRED_TRIGGER = {
  id: 3,
  token: 'glptt-demo0000000000000000000000000000000003',
  description: 'Release 1.x (retired)',
} as const

/** A running job's CI_JOB_TOKEN in acme/tools (project 7), allowed to trigger project 42. */
export const DEMO_JOB_TOKEN = 'glcbt-demo-tools-job-000000000000000'

export function seedDemo(fake: FakeGitLab): void {
  fake.addProject({ ...DEMO_PROJECT, name: 'api', branches: [...DEMO_PROJECT.branches], tags: [...DEMO_PROJECT.tags] })
  fake.addProject({ ...TOOLS_PROJECT, name: 'tools' })

  fake.addUser({
    id: ADA.id,
    username: ADA.username,
    name: ADA.name,
    pat: { token: ADA.pat, name: 'glt on laptop', scopes: ['api'], expiresAt: null },
    roles: { [DEMO_PROJECT.id]: 'maintainer', [TOOLS_PROJECT.id]: 'maintainer' },
  })
  fake.addUser({
    id: BOB.id,
    username: BOB.username,
    name: BOB.name,
    pat: { token: BOB.pat, name: 'read-only dashboards', scopes: ['read_api'], expiresAt: null },
    roles: { [DEMO_PROJECT.id]: 'developer' },
  })

  fake.addTrigger(DEMO_PROJECT.id, {
    ...ADA_TRIGGER,
    ownerId: ADA.id,
    createdAt: '2025-03-04T09:15:27.512Z',
    lastUsed: '2025-06-02T14:03:11.090Z',
  })
  fake.addTrigger(DEMO_PROJECT.id, { ...BOB_TRIGGER, ownerId: BOB.id, createdAt: '2025-04-18T17:42:05.331Z' })
  fake.addTrigger(DEMO_PROJECT.id, {
    ...EXPIRED_TRIGGER,
    ownerId: ADA.id,
    createdAt: '2023-11-20T08:00:00.000Z',
    lastUsed: '2024-05-30T22:10:45.678Z',
    expiresAt: '2024-06-30T00:00:00.000Z',
  })

  fake.addJobToken(DEMO_JOB_TOKEN, { projectId: TOOLS_PROJECT.id, allowedTargets: [DEMO_PROJECT.id], userId: ADA.id })

  fake.pipelineScript(
    DEMO_PROJECT.id,
    ['pending', 'running', 'running', 'success'],
    [
      { name: 'build', stage: 'build', status: ['pending', 'running', 'success', 'success'] },
      { name: 'unit-tests', stage: 'test', status: ['created', 'created', 'running', 'success'] },
      { name: 'deploy-staging', stage: 'deploy', status: ['created', 'created', 'created', 'success'] },
    ],
  )
}
