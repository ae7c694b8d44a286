import { createHash } from 'node:crypto'

export type Role = 'guest' | 'reporter' | 'developer' | 'maintainer' | 'owner'
export type Visibility = 'private' | 'internal' | 'public'

/** GitLab's access levels, so roles compare with `>=`. */
export const ACCESS_LEVEL: Record<Role, number> = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 }

const FINISHED_STATUSES = new Set(['success', 'failed', 'canceled', 'skipped'])
const STARTED_STATUSES = new Set(['running', 'canceling', ...FINISHED_STATUSES])

export interface ProjectInit {
  id: number
  /** Full path, e.g. `acme/platform/api`. */
  path: string
  name?: string
  defaultBranch?: string
  branches?: string[]
  tags?: string[]
  visibility?: Visibility
}

export interface FakeProject {
  id: number
  path: string
  name: string
  defaultBranch: string
  branches: string[]
  tags: string[]
  visibility: Visibility
  /** What pipelines created from now on in this project will go through. */
  script: PipelineScript
}

export interface JobScript {
  name: string
  stage: string
  /** One status, a status per pipeline read (the last one stays), or omitted to follow the pipeline. */
  status?: string | string[]
}

export interface PipelineScript {
  /** The status shown by each GET of the pipeline in turn; the last one stays. */
  statuses: string[]
  jobs: JobScript[]
}

export interface PatInit {
  token: string
  name?: string
  scopes?: string[]
  /** `YYYY-MM-DD`; null or omitted: never expires. */
  expiresAt?: string | null
  revoked?: boolean
}

export interface FakePat {
  id: number
  token: string
  name: string
  scopes: string[]
  expiresAt: string | null
  revoked: boolean
  userId: number
  createdAt: string
  lastUsedAt: string | null
}

export interface UserInit {
  id: number
  username: string
  name: string
  pat?: PatInit
  /** Project id → role on that project. */
  roles?: Record<number, Role>
}

export interface FakeUser {
  id: number
  username: string
  name: string
  roles: Record<number, Role>
  createdAt: string
}

export interface TriggerInit {
  id?: number
  token: string
  description: string
  /** The user whose rights the triggered pipelines run with; null for legacy triggers without one. */
  ownerId: number | null
  expiresAt?: string | null
  lastUsed?: string | null
  createdAt?: string
}

export interface FakeTrigger {
  id: number
  projectId: number
  token: string
  description: string
  ownerId: number | null
  createdAt: string
  updatedAt: string
  lastUsed: string | null
  expiresAt: string | null
}

export interface JobTokenInit {
  /** The project whose running job holds the token (the calling project). */
  projectId: number
  /** Projects whose job token allowlist admits the calling project. */
  allowedTargets: number[]
  /** A finished job's token is refused with 401 "Job is not running". Default true. */
  running?: boolean
  /**
   * The user who started the job: pipelines it triggers belong to them, and like a trigger owner
   * they need the Developer role on the target project (when they are a known user).
   */
  userId?: number | null
}

export interface FakeJobToken {
  token: string
  projectId: number
  allowedTargets: number[]
  running: boolean
  userId: number | null
}

export interface FakeJob {
  id: number
  name: string
  stage: string
  status?: string | string[]
}

export interface FakePipeline {
  id: number
  iid: number
  projectId: number
  ref: string
  sha: string
  tag: boolean
  /** `trigger` for a trigger token, `pipeline` for a CI job token. */
  source: 'trigger' | 'pipeline'
  userId: number | null
  triggerId: number | null
  jobToken: string | null
  variables: Record<string, string>
  inputs: Record<string, unknown> | null
  /** What GitLab stores as the TRIGGER_PAYLOAD file variable: the parameters except the token, as JSON. */
  triggerPayload: string
  script: PipelineScript
  jobs: FakeJob[]
  /** GETs of the pipeline so far: they walk it through its script. */
  reads: number
  createdAt: string
  updatedAt: string
  startedAt: string | null
  finishedAt: string | null
  canceledAt: string | null
}

export interface NewPipeline {
  project: FakeProject
  ref: string
  sha: string
  tag: boolean
  source: 'trigger' | 'pipeline'
  userId: number | null
  triggerId: number | null
  jobToken: string | null
  variables: Record<string, string>
  inputs: Record<string, unknown> | null
  triggerPayload: string
}

const DEFAULT_SCRIPT: PipelineScript = {
  statuses: ['pending', 'running', 'success'],
  jobs: [{ name: 'build', stage: 'build' }],
}

/** Everything the fake GitLab knows, with the builders tests use to set it up. */
export class GitLabState {
  readonly projects = new Map<number, FakeProject>()
  readonly users = new Map<number, FakeUser>()
  readonly pats: FakePat[] = []
  readonly triggers: FakeTrigger[] = []
  readonly jobTokens = new Map<string, FakeJobToken>()
  readonly pipelines: FakePipeline[] = []
  private nextPatId = 1
  private nextTriggerId = 1
  private nextPipelineId = 1001
  private nextJobId = 5001

  addProject(init: ProjectInit): FakeProject {
    const defaultBranch = init.defaultBranch ?? 'main'
    const branches = init.branches ?? [defaultBranch]
    const project: FakeProject = {
      id: init.id,
      path: init.path,
      name: init.name ?? init.path.split('/').pop() ?? init.path,
      defaultBranch,
      branches: branches.includes(defaultBranch) ? [...branches] : [defaultBranch, ...branches],
      tags: [...(init.tags ?? [])],
      visibility: init.visibility ?? 'private',
      script: DEFAULT_SCRIPT,
    }
    this.projects.set(project.id, project)
    return project
  }

  addUser(init: UserInit): FakeUser {
    const user: FakeUser = {
      id: init.id,
      username: init.username,
      name: init.name,
      roles: { ...init.roles },
      createdAt: new Date().toISOString(),
    }
    this.users.set(user.id, user)
    if (init.pat) this.addPersonalAccessToken(user.id, init.pat)
    return user
  }

  addPersonalAccessToken(userId: number, init: PatInit): FakePat {
    if (!this.users.has(userId)) throw new Error(`fake GitLab: no user ${userId}`)
    const pat: FakePat = {
      id: this.nextPatId++,
      token: init.token,
      name: init.name ?? 'glt',
      scopes: [...(init.scopes ?? ['api'])],
      expiresAt: init.expiresAt ?? null,
      revoked: init.revoked ?? false,
      userId,
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
    }
    this.pats.push(pat)
    return pat
  }

  addTrigger(projectId: number, init: TriggerInit): FakeTrigger {
    if (!this.projects.has(projectId)) throw new Error(`fake GitLab: no project ${projectId}`)
    const id = init.id ?? this.nextTriggerId
    this.nextTriggerId = Math.max(this.nextTriggerId, id + 1)
    const createdAt = init.createdAt ?? new Date().toISOString()
    const trigger: FakeTrigger = {
      id,
      projectId,
      token: init.token,
      description: init.description,
      ownerId: init.ownerId,
      createdAt,
      updatedAt: createdAt,
      lastUsed: init.lastUsed ?? null,
      expiresAt: init.expiresAt ?? null,
    }
    this.triggers.push(trigger)
    return trigger
  }

  removeTrigger(trigger: FakeTrigger): void {
    this.triggers.splice(this.triggers.indexOf(trigger), 1)
  }

  addJobToken(token: string, init: JobTokenInit): FakeJobToken {
    const jobToken: FakeJobToken = {
      token,
      projectId: init.projectId,
      allowedTargets: [...init.allowedTargets],
      running: init.running ?? true,
      userId: init.userId ?? null,
    }
    this.jobTokens.set(token, jobToken)
    return jobToken
  }

  setPipelineScript(projectId: number, statuses: string[], jobs?: JobScript[]): void {
    const project = this.projects.get(projectId)
    if (!project) throw new Error(`fake GitLab: no project ${projectId}`)
    if (statuses.length === 0) throw new Error('fake GitLab: a pipeline script needs at least one status')
    project.script = { statuses: [...statuses], jobs: (jobs ?? DEFAULT_SCRIPT.jobs).map((job) => ({ ...job })) }
  }

  /** A project by numeric id or full path; GitLab matches paths case-insensitively. */
  findProject(idOrPath: string): FakeProject | undefined {
    if (/^\d+$/.test(idOrPath)) return this.projects.get(Number(idOrPath))
    const wanted = idOrPath.toLowerCase()
    return [...this.projects.values()].find((project) => project.path.toLowerCase() === wanted)
  }

  findPat(token: string): FakePat | undefined {
    return this.pats.find((pat) => pat.token === token)
  }

  findTriggerByToken(token: string): FakeTrigger | undefined {
    return this.triggers.find((trigger) => trigger.token === token)
  }

  roleOf(userId: number | null, projectId: number): Role | undefined {
    return userId === null ? undefined : this.users.get(userId)?.roles[projectId]
  }

  createPipeline(init: NewPipeline): FakePipeline {
    const now = new Date().toISOString()
    const iid = this.pipelines.filter((p) => p.projectId === init.project.id).length + 1
    const pipeline: FakePipeline = {
      id: this.nextPipelineId++,
      iid,
      projectId: init.project.id,
      ref: init.ref,
      sha: init.sha,
      tag: init.tag,
      source: init.source,
      userId: init.userId,
      triggerId: init.triggerId,
      jobToken: init.jobToken,
      variables: init.variables,
      inputs: init.inputs,
      triggerPayload: init.triggerPayload,
      script: init.project.script,
      jobs: init.project.script.jobs.map((job) => ({ ...job, id: this.nextJobId++ })),
      reads: 0,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
      canceledAt: null,
    }
    this.pipelines.push(pipeline)
    return pipeline
  }
}

/** A stable fake commit for a ref, so the same ref always gives the same sha. */
export function fakeSha(projectId: number, ref: string): string {
  return createHash('sha1').update(`${projectId}:${ref}`).digest('hex')
}

export function pipelineStatus(pipeline: FakePipeline): string {
  if (pipeline.canceledAt !== null) return 'canceled'
  if (pipeline.reads === 0) return 'created'
  return stepOf(pipeline.script.statuses, pipeline.reads - 1) ?? 'created'
}

export function jobStatus(pipeline: FakePipeline, job: FakeJob): string {
  if (job.status === undefined) return pipelineStatus(pipeline)
  const scripted =
    typeof job.status === 'string' ? job.status : (stepOf(job.status, Math.max(pipeline.reads - 1, 0)) ?? 'created')
  return pipeline.canceledAt !== null && !isFinished(scripted) ? 'canceled' : scripted
}

export function isFinished(status: string): boolean {
  return FINISHED_STATUSES.has(status)
}

/** One GET of the pipeline: the next status of its script, with the timestamps GitLab would set. */
export function advancePipeline(pipeline: FakePipeline): void {
  if (pipeline.canceledAt !== null) return
  const before = pipelineStatus(pipeline)
  pipeline.reads++
  const after = pipelineStatus(pipeline)
  if (after === before) return
  const now = new Date().toISOString()
  pipeline.updatedAt = now
  if (STARTED_STATUSES.has(after)) pipeline.startedAt ??= now
  if (isFinished(after)) pipeline.finishedAt ??= now
}

export function cancelPipeline(pipeline: FakePipeline): void {
  if (isFinished(pipelineStatus(pipeline))) return
  const now = new Date().toISOString()
  pipeline.canceledAt = now
  pipeline.updatedAt = now
  pipeline.finishedAt = now
}

function stepOf(statuses: string[], index: number): string | undefined {
  return statuses[Math.min(index, statuses.length - 1)]
}
